import check from '../../../checks/k8s/anonymous-bindings.js';
import { checkTester } from '../../support/check-tester.js';
import { BUILT_IN, clusterRoleBinding, group, inventory, roleBinding, user } from '../../builders/k8s.js';

const publicInfo = clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')], BUILT_IN);

checkTester(check, {
  pass: [{ name: 'only the built-in public-info binding', options: {}, inventory: { cluster: inventory([publicInfo, clusterRoleBinding('devs', 'view', [group('devs')])]) } }],
  fail: [
    { name: 'view for every authenticated user', options: {}, inventory: { cluster: inventory([publicInfo, clusterRoleBinding('oops', 'view', [group('devs'), group('system:authenticated')])]) }, findings: [{ resourceId: 'ClusterRoleBinding/oops', severity: 'high', title: 'system:authenticated' }] },
    { name: 'anonymous user in a namespace', options: {}, inventory: { cluster: inventory([roleBinding('anon', 'prod', { kind: 'ClusterRole', name: 'edit' }, [user('system:anonymous')])]) }, findings: [{ resourceId: 'prod/RoleBinding/anon', severity: 'high' }] },
  ],
});
