import check from '../../../checks/k8s/cluster-admin-bindings.js';
import { checkTester } from '../../support/check-tester.js';
import { BUILT_IN, clusterRoleBinding, group, inventory, roleBinding, sa, user } from '../../builders/k8s.js';

const builtIn = clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')], BUILT_IN);
// kubeadm (1.29+) binds its kubeadm:cluster-admins group without the rbac-defaults label; kube-bench flags it.
const kubeadm = clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')]);

checkTester(check, {
  pass: [
    { name: "the built-in binding and kubeadm's own binding", options: {}, inventory: { cluster: inventory([builtIn, kubeadm, clusterRoleBinding('devs-view', 'view', [group('devs')])]) } },
    { name: 'extra allowlisted distribution binding', options: { systemComponents: ['ClusterRoleBinding/platform-bootstrap'] }, inventory: { cluster: inventory([builtIn, clusterRoleBinding('platform-bootstrap', 'cluster-admin', [user('installer')])]) } },
  ],
  fail: [
    {
      name: 'a system: name without the label is not built in',
      options: {},
      inventory: { cluster: inventory([builtIn, kubeadm, clusterRoleBinding('system:backdoor', 'cluster-admin', [sa('default', 'kube-system')])]) },
      findings: [{ resourceId: 'ClusterRoleBinding/system:backdoor', severity: 'high', title: 'ServiceAccount kube-system/default' }],
    },
    {
      name: 'RoleBinding to cluster-admin in a namespace',
      options: {},
      inventory: { cluster: inventory([builtIn, roleBinding('team-admin', 'prod', { kind: 'ClusterRole', name: 'cluster-admin' }, [user('alice')])]) },
      findings: [{ resourceId: 'prod/RoleBinding/team-admin', severity: 'high', title: 'namespace prod' }],
    },
  ],
});
