import check from '../../../checks/k8s/token-automount.js';
import { checkTester } from '../../support/check-tester.js';
import { deployment, inventory, safeContainer, serviceAccount } from '../../builders/k8s.js';

const spec = (extra: Record<string, unknown>) => ({ serviceAccountName: 'app', containers: [safeContainer()], ...extra });

checkTester(check, {
  pass: [
    // kube-bench 1.10 5.1.6 fails this one: the pod's false wins over the service account's unset.
    { name: 'pod false with service account unset', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod'), deployment('web', spec({ automountServiceAccountToken: false }))]) } },
    { name: 'pod unset with service account false', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod', false), deployment('web', spec({}))]) } },
    { name: 'pod false overrides service account true', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod', true), deployment('web', spec({ automountServiceAccountToken: false }))]) } },
  ],
  fail: [
    { name: 'pod true overrides service account false', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod', false), deployment('web', spec({ automountServiceAccountToken: true }))]) }, findings: [{ resourceId: 'prod/Deployment/web', severity: 'low', title: 'service account app' }] },
    { name: 'both unset default to true, including a Deployment scaled to zero', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod'), deployment('idle', spec({}), { replicas: 0 })]) }, findings: [{ resourceId: 'prod/Deployment/idle', severity: 'low' }] },
    { name: 'service account true decides when the pod is silent', options: {}, inventory: { cluster: inventory([serviceAccount('app', 'prod', true), deployment('web', spec({}))]) }, findings: [{ resourceId: 'prod/Deployment/web', severity: 'low' }] },
  ],
});
