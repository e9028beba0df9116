import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/password-reuse.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const rid = `arn:aws:iam::${A}:account-password-policy`;
checkTester(check, {
  pass: [{ name: 'remembers 24', options: OPTIONS, inventory: { iam: global(iamAccount()) } }],
  fail: [
    { name: 'reuse prevention unset', options: OPTIONS, inventory: { iam: global(iamAccount({ passwordPolicy: { minimumPasswordLength: 14, passwordReusePrevention: null } })) }, findings: [{ resourceId: rid, severity: 'medium', title: 'unset' }] },
    { name: 'no policy', options: OPTIONS, inventory: { iam: global(iamAccount({ passwordPolicy: null })) }, findings: [{ resourceId: rid, severity: 'medium' }] },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
