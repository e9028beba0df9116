import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/support-role.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'a support role exists', options: OPTIONS, inventory: { iam: global(iamAccount()) } }],
  fail: [{ name: 'no role has AWSSupportAccess', options: OPTIONS, inventory: { iam: global(iamAccount({ roles: [{ name: 'app', arn: `arn:aws:iam::${A}:role/app`, attachedPolicyArns: [] }] })) }, findings: [{ resourceId: `arn:aws:iam::${A}:root`, key: 'support-role', severity: 'low' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
