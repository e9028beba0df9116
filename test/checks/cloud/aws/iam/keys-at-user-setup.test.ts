import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/keys-at-user-setup.js';
import { A, OPTIONS, credentialRow, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const keys = (lastUsed: string | null) => [{ slot: 1, active: true, lastRotated: daysBefore(10), lastUsed }, { slot: 2, active: false, lastRotated: null, lastUsed: null }];
const report = (row: ReturnType<typeof credentialRow>) => global(iamAccount({ credentialReport: [credentialRow('<root_account>'), row] }));
checkTester(check, {
  pass: [
    { name: 'the key was used', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: keys(daysBefore(1)) })) } },
    { name: 'programmatic user without a password', options: OPTIONS, inventory: { iam: report(credentialRow('ci', { passwordEnabled: false, accessKeys: keys(null) })) } },
  ],
  fail: [{ name: 'console user with a never-used active key', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: keys(null) })) }, findings: [{ resourceId: `arn:aws:iam::${A}:user/alice`, key: 'access-key-1', severity: 'low' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
