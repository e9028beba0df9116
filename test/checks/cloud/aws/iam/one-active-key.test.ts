import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/one-active-key.js';
import { A, OPTIONS, credentialRow, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const key = (slot: number, active: boolean) => ({ slot, active, lastRotated: daysBefore(5), lastUsed: daysBefore(1) });
const report = (row: ReturnType<typeof credentialRow>) => global(iamAccount({ credentialReport: [credentialRow('<root_account>'), row] }));
checkTester(check, {
  pass: [{ name: 'one active key', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: [key(1, true), key(2, false)] })) } }],
  fail: [{ name: 'two active keys', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: [key(1, true), key(2, true)] })) }, findings: [{ resourceId: `arn:aws:iam::${A}:user/alice`, key: 'keys', severity: 'low' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
