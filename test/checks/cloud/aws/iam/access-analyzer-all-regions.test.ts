import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/access-analyzer-all-regions.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const analyzer = (name: string, type: string, status = 'ACTIVE') => ({ name, arn: `arn:aws:access-analyzer:us-east-1:${A}:analyzer/${name}`, type, status });
const active = { analyzers: [analyzer('account', 'ACCOUNT')] };
const inUsEast1 = (...analyzers: ReturnType<typeof analyzer>[]) => ({ analyzers: regional((region) => (region === 'us-east-1' ? { analyzers } : active)) });
const rid = `aws:${A}/us-east-1/access-analyzer`;
checkTester(check, {
  pass: [
    { name: 'an active ACCOUNT analyzer in every region', options: OPTIONS, inventory: { analyzers: regional(() => active) } },
    { name: 'an ORGANIZATION analyzer (from the delegated admin) is an external access analyzer', options: OPTIONS, inventory: inUsEast1(analyzer('org', 'ORGANIZATION')) },
    { name: 'an unused-access analyzer beside an active ACCOUNT analyzer', options: OPTIONS, inventory: inUsEast1(analyzer('account', 'ACCOUNT'), analyzer('unused', 'ACCOUNT_UNUSED_ACCESS')) },
    { name: 'a region that could not be read yields no verdict (the run is partial, so unknown)', options: OPTIONS, inventory: { analyzers: regional(() => active, { unread: ['us-east-1'] }) } },
  ],
  fail: [
    { name: 'no analyzer in us-east-1', options: OPTIONS, inventory: inUsEast1(), findings: [{ resourceId: rid, severity: 'medium', scope: regionScopeOf(A, 'us-east-1'), title: 'No IAM Access Analyzer' }] },
    {
      name: 'only an unused-access analyzer in us-east-1',
      options: OPTIONS,
      inventory: inUsEast1(analyzer('unused', 'ACCOUNT_UNUSED_ACCESS')),
      findings: [{ resourceId: rid, severity: 'medium', scope: regionScopeOf(A, 'us-east-1'), title: 'found: unused ACCOUNT_UNUSED_ACCESS ACTIVE' }],
    },
    {
      name: 'only organization unused- and internal-access analyzers in us-east-1',
      options: OPTIONS,
      inventory: inUsEast1(analyzer('internal', 'ORGANIZATION_INTERNAL_ACCESS'), analyzer('unused', 'ORGANIZATION_UNUSED_ACCESS')),
      findings: [{ resourceId: rid, severity: 'medium', title: 'found: internal ORGANIZATION_INTERNAL_ACCESS ACTIVE, unused ORGANIZATION_UNUSED_ACCESS ACTIVE' }],
    },
    {
      name: 'an ACCOUNT analyzer that is not ACTIVE',
      options: OPTIONS,
      inventory: inUsEast1(analyzer('account', 'ACCOUNT', 'DISABLED')),
      findings: [{ resourceId: rid, severity: 'medium', title: 'found: account ACCOUNT DISABLED' }],
    },
  ],
  partial: [deniedCase('ListAnalyzers denied in us-east-1', ['analyzers'], { analyzers: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
