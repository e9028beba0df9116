import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/root-mfa.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'root MFA on', options: OPTIONS, inventory: { iam: global(iamAccount()) } }],
  fail: [{ name: 'root MFA off', options: OPTIONS, inventory: { iam: global(iamAccount({ summary: { accountAccessKeysPresent: 0, accountMfaEnabled: 0 } })) }, findings: [{ resourceId: `arn:aws:iam::${A}:root`, severity: 'critical' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
