import check from '../../../checks/k8s/default-service-account.js';
import { checkTester } from '../../support/check-tester.js';
import { inventory, roleBinding, sa, serviceAccount } from '../../builders/k8s.js';

checkTester(check, {
  pass: [{ name: 'default accounts mount nothing and hold nothing', options: {}, inventory: { cluster: inventory([serviceAccount('default', 'prod', false), serviceAccount('default', 'dev', false), serviceAccount('app', 'prod')]) } }],
  fail: [
    { name: 'automount unset defaults to true', options: {}, inventory: { cluster: inventory([serviceAccount('default', 'prod'), serviceAccount('default', 'dev', false)]) }, findings: [{ resourceId: 'prod/ServiceAccount/default', severity: 'low' }] },
    {
      name: 'bound to a role even with automount off',
      options: {},
      inventory: { cluster: inventory([serviceAccount('default', 'prod', false), roleBinding('default-edit', 'prod', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'default' }])]) },
      findings: [{ resourceId: 'prod/ServiceAccount/default', severity: 'medium', title: 'bound by 1 binding' }],
    },
    { name: 'bound through a subject namespace from another namespace binding', options: {}, inventory: { cluster: inventory([serviceAccount('default', 'dev', false), roleBinding('x', 'prod', { kind: 'Role', name: 'r' }, [sa('default', 'dev')])]) }, findings: [{ resourceId: 'dev/ServiceAccount/default', severity: 'medium' }] },
  ],
});
