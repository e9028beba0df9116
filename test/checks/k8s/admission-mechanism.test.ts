import check from '../../../checks/k8s/admission-mechanism.js';
import { checkTester } from '../../support/check-tester.js';
import { inventory, namespace, safePodSpec, workload } from '../../builders/k8s.js';

checkTester(check, {
  pass: [
    { name: 'a namespace enforces Pod Security', options: {}, inventory: { cluster: inventory([namespace('prod', { 'pod-security.kubernetes.io/enforce': 'baseline' }), namespace('dev')]) } },
    { name: 'Kyverno runs', options: {}, inventory: { cluster: inventory([namespace('kyverno'), workload('Deployment', 'kyverno-admission-controller', safePodSpec(), 'kyverno')]) } },
  ],
  fail: [{ name: 'no labels and no engine', options: {}, inventory: { cluster: inventory([namespace('prod', { 'pod-security.kubernetes.io/warn': 'restricted' }), namespace('dev')]) }, findings: [{ resourceId: 'cluster', severity: 'medium', title: '2 namespaces' }] }],
});
