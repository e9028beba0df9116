import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/user-attached-policies.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'users get policies only through groups', options: OPTIONS, inventory: { iam: global(iamAccount()) } }],
  fail: [
    {
      name: 'attached and inline user policies',
      options: OPTIONS,
      inventory: { iam: global(iamAccount({ users: [{ name: 'bob', arn: `arn:aws:iam::${A}:user/bob`, attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], inlinePolicyNames: ['extra'] }] })) },
      findings: [{ resourceId: `arn:aws:iam::${A}:user/bob`, severity: 'low', title: '1 attached, 1 inline' }],
    },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
