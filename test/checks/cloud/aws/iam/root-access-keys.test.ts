import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/root-access-keys.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'root has no access key', options: OPTIONS, inventory: { iam: global(iamAccount()) } }],
  fail: [
    {
      name: 'root has an access key',
      options: OPTIONS,
      inventory: { iam: global(iamAccount({ summary: { accountAccessKeysPresent: 1, accountMfaEnabled: 1 } })) },
      findings: [{ resourceId: `arn:aws:iam::${A}:root`, severity: 'critical', scope: globalScopeOf(A) }],
    },
  ],
  partial: [deniedCase('IAM denied: unknown, not a pass', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
