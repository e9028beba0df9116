import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/password-min-length.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const rid = `arn:aws:iam::${A}:account-password-policy`;
checkTester(check, {
  pass: [
    { name: 'length 14', options: OPTIONS, inventory: { iam: global(iamAccount()) } },
    { name: 'a lower threshold set by option', options: { ...OPTIONS, passwordMinLength: 10 }, inventory: { iam: global(iamAccount({ passwordPolicy: { minimumPasswordLength: 12, passwordReusePrevention: 24 } })) } },
  ],
  fail: [
    { name: 'length 8', options: OPTIONS, inventory: { iam: global(iamAccount({ passwordPolicy: { minimumPasswordLength: 8, passwordReusePrevention: 24 } })) }, findings: [{ resourceId: rid, severity: 'medium', title: 'is 8, needs 14' }] },
    { name: 'no password policy at all (NoSuchEntity)', options: OPTIONS, inventory: { iam: global(iamAccount({ passwordPolicy: null })) }, findings: [{ resourceId: rid, severity: 'medium', title: 'no IAM password policy' }] },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
