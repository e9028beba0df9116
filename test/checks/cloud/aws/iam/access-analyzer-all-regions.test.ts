import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/access-analyzer-all-regions.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const active = { analyzers: [{ name: 'account', arn: 'arn:aws:access-analyzer:x', type: 'ACCOUNT', status: 'ACTIVE' }] };
checkTester(check, {
  pass: [
    { name: 'an active analyzer in every region', options: OPTIONS, inventory: { analyzers: regional(() => active) } },
    { name: 'a region that could not be read yields no verdict (the run is partial, so unknown)', options: OPTIONS, inventory: { analyzers: regional(() => active, { unread: ['us-east-1'] }) } },
  ],
  fail: [
    {
      name: 'no analyzer in us-east-1',
      options: OPTIONS,
      inventory: { analyzers: regional((region) => (region === 'us-east-1' ? { analyzers: [] } : active)) },
      findings: [{ resourceId: `aws:${A}/us-east-1/access-analyzer`, severity: 'medium', scope: regionScopeOf(A, 'us-east-1') }],
    },
  ],
  partial: [deniedCase('ListAnalyzers denied in us-east-1', ['analyzers'], { analyzers: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
