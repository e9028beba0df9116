import check from '../../../checks/k8s/default-namespace-objects.js';
import { checkTester } from '../../support/check-tester.js';
import { deployment, inventory, namespace, pod, role, safePodSpec, serviceAccount, workload } from '../../builders/k8s.js';

const kubernetesOwn = [namespace('default'), serviceAccount('default', 'default'), { kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' } }, { kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' } }];

checkTester(check, {
  pass: [{ name: "only Kubernetes' own objects in default", options: {}, inventory: { cluster: inventory([...kubernetesOwn, deployment('web', safePodSpec())]) } }],
  fail: [
    {
      name: 'a Deployment with its ReplicaSet and pod is one object; a Role and a ConfigMap are more',
      options: {},
      inventory: {
        cluster: inventory([
          ...kubernetesOwn,
          deployment('web', safePodSpec(), { namespace: 'default' }),
          workload('ReplicaSet', 'web-1', safePodSpec(), 'default', { kind: 'Deployment', name: 'web' }),
          pod('web-1-a', safePodSpec(), 'default', { kind: 'ReplicaSet', name: 'web-1' }),
          role('reader', 'default', []),
          { kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } },
        ]),
      },
      findings: [
        { resourceId: 'default/Deployment/web', severity: 'low' },
        { resourceId: 'default/Role/reader', severity: 'low' },
        { resourceId: 'default/ConfigMap/settings', severity: 'low' },
      ],
    },
  ],
});
