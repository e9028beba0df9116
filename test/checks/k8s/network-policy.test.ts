import check from '../../../checks/k8s/network-policy.js';
import { checkTester } from '../../support/check-tester.js';
import { deployment, inventory, namespace, networkPolicy, safePodSpec, workload } from '../../builders/k8s.js';

checkTester(check, {
  pass: [
    { name: 'every namespace with workloads has a policy; empty namespaces do not count', options: {}, inventory: { cluster: inventory([namespace('prod'), namespace('empty'), deployment('web', safePodSpec()), networkPolicy('default-deny', 'prod')]) } },
  ],
  fail: [
    {
      name: 'kube-system is checked like any namespace',
      options: {},
      inventory: { cluster: inventory([namespace('prod'), namespace('kube-system'), deployment('web', safePodSpec()), networkPolicy('default-deny', 'prod'), workload('DaemonSet', 'kube-proxy', safePodSpec(), 'kube-system')]) },
      findings: [{ resourceId: 'Namespace/kube-system', severity: 'medium' }],
    },
    { name: 'a namespace without a policy', options: {}, inventory: { cluster: inventory([namespace('prod'), deployment('web', safePodSpec())]) }, findings: [{ resourceId: 'Namespace/prod', severity: 'medium' }] },
  ],
});
