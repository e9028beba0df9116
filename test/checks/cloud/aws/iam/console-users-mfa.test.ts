import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/console-users-mfa.js';
import { A, OPTIONS, credentialRow, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const report = (...rows: ReturnType<typeof credentialRow>[]) => global(iamAccount({ credentialReport: [credentialRow('<root_account>', { mfaActive: false }), ...rows] }));
checkTester(check, {
  pass: [
    { name: 'console users have MFA; the root row is another control', options: OPTIONS, inventory: { iam: report(credentialRow('alice')) } },
    { name: 'a user without a password needs no MFA', options: OPTIONS, inventory: { iam: report(credentialRow('ci', { passwordEnabled: false, mfaActive: false })) } },
  ],
  fail: [
    { name: 'bob has a password and no MFA', options: OPTIONS, inventory: { iam: report(credentialRow('alice'), credentialRow('bob', { mfaActive: false })) }, findings: [{ resourceId: `arn:aws:iam::${A}:user/bob`, key: 'mfa', severity: 'high' }] },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
