import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/access-key-rotation.js';
import { A, OPTIONS, credentialRow, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const keys = (age: number, active = true) => [{ slot: 1, active, lastRotated: daysBefore(age), lastUsed: daysBefore(1) }, { slot: 2, active: false, lastRotated: null, lastUsed: null }];
const report = (row: ReturnType<typeof credentialRow>) => global(iamAccount({ credentialReport: [credentialRow('<root_account>'), row] }));
checkTester(check, {
  pass: [
    { name: 'key 30 days old', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: keys(30) })) } },
    { name: 'old key but inactive', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: keys(400, false) })) } },
  ],
  fail: [{ name: 'key 120 days old', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: keys(120) })) }, findings: [{ resourceId: `arn:aws:iam::${A}:user/alice`, key: 'access-key-1', severity: 'medium', title: '120 days' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
