import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/monitoring/enabled.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const on = { enabled: true, hubArn: 'arn:aws:securityhub:x', standards: [] };
checkTester(check, {
  pass: [{ name: 'enabled everywhere', options: OPTIONS, inventory: { securityhub: regional(() => on) } }],
  fail: [
    {
      name: 'not subscribed in eu-west-1 (InvalidAccessException)',
      options: OPTIONS,
      inventory: { securityhub: regional((r) => (r === 'eu-west-1' ? { enabled: false, hubArn: null, standards: [] } : on)) },
      findings: [{ resourceId: `aws:${A}/eu-west-1/securityhub`, severity: 'medium', scope: regionScopeOf(A, 'eu-west-1') }],
    },
  ],
  partial: [deniedCase('DescribeHub AccessDenied is unknown, not off', ['securityhub'], { securityhub: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
