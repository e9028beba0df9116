import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/full-admin-policies.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const admin = { effect: 'Allow', actions: ['*'], resources: ['*'], notAction: false, condition: false };
checkTester(check, {
  pass: [
    { name: 'no policy allows everything', options: OPTIONS, inventory: { iam: global(iamAccount()) } },
    { name: 'a Deny * on * is not a grant', options: OPTIONS, inventory: { iam: global(iamAccount({ inlinePolicies: [{ owner: `arn:aws:iam::${A}:role/x`, name: 'deny', statements: [{ ...admin, effect: 'Deny' }] }] })) } },
    { name: 'NotAction with * is not the CIS pattern', options: OPTIONS, inventory: { iam: global(iamAccount({ inlinePolicies: [{ owner: `arn:aws:iam::${A}:role/x`, name: 'not', statements: [{ ...admin, notAction: true, actions: ['iam:*'] }] }] })) } },
  ],
  fail: [
    {
      name: 'AdministratorAccess attached and an inline *:* policy',
      options: OPTIONS,
      inventory: {
        iam: global(
          iamAccount({
            policies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', attachmentCount: 2, statements: [admin] }],
            inlinePolicies: [{ owner: `arn:aws:iam::${A}:user/bob`, name: 'god', statements: [{ ...admin, actions: ['*:*'] }] }],
          }),
        ),
      },
      findings: [
        { resourceId: 'arn:aws:iam::aws:policy/AdministratorAccess', key: `account:${A}`, severity: 'high' },
        { resourceId: `arn:aws:iam::${A}:user/bob`, key: 'inline:god', severity: 'high' },
      ],
    },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
