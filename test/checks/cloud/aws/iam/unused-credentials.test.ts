import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/unused-credentials.js';
import { A, OPTIONS, credentialRow, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const report = (row: ReturnType<typeof credentialRow>) => global(iamAccount({ credentialReport: [credentialRow('<root_account>', { passwordLastUsed: daysBefore(900) }), row] }));
const user = `arn:aws:iam::${A}:user/alice`;
checkTester(check, {
  pass: [
    { name: 'password used 2 days ago', options: OPTIONS, inventory: { iam: report(credentialRow('alice')) } },
    { name: 'an inactive old key is fine', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { accessKeys: [{ slot: 1, active: false, lastRotated: daysBefore(400), lastUsed: daysBefore(300) }, { slot: 2, active: false, lastRotated: null, lastUsed: null }] })) } },
    { name: 'asOf moves the clock back', options: { ...OPTIONS, asOf: '2026-09-01T00:00:00.000Z' }, inventory: { iam: report(credentialRow('alice', { passwordLastUsed: '2026-08-20T00:00:00.000Z' })) } },
  ],
  fail: [
    {
      name: 'password unused 60 days, key unused 50 days',
      options: OPTIONS,
      inventory: { iam: report(credentialRow('alice', { passwordLastUsed: daysBefore(60), accessKeys: [{ slot: 1, active: true, lastRotated: daysBefore(70), lastUsed: daysBefore(50) }, { slot: 2, active: false, lastRotated: null, lastUsed: null }] })) },
      findings: [
        { resourceId: user, key: 'password', severity: 'medium', title: '60 days' },
        { resourceId: user, key: 'access-key-1', severity: 'medium', title: '50 days' },
      ],
    },
    { name: 'password never used, set 46 days ago', options: OPTIONS, inventory: { iam: report(credentialRow('alice', { passwordLastUsed: null, passwordLastChanged: daysBefore(46) })) }, findings: [{ resourceId: user, key: 'password', severity: 'medium' }] },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
