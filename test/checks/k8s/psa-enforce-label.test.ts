import check from '../../../checks/k8s/psa-enforce-label.js';
import { checkTester } from '../../support/check-tester.js';
import { inventory, namespace } from '../../builders/k8s.js';

const enforce = (level: string) => ({ 'pod-security.kubernetes.io/enforce': level });

checkTester(check, {
  pass: [{ name: 'baseline and restricted', options: {}, inventory: { cluster: inventory([namespace('prod', enforce('restricted')), namespace('dev', enforce('baseline'))]) } }],
  fail: [
    {
      name: 'privileged and missing labels, kube-system included',
      options: {},
      inventory: { cluster: inventory([namespace('prod', enforce('restricted')), namespace('kube-system', enforce('privileged')), namespace('dev')]) },
      findings: [
        { resourceId: 'Namespace/kube-system', severity: 'low', title: "enforces 'privileged'" },
        { resourceId: 'Namespace/dev', severity: 'low' },
      ],
    },
  ],
});
