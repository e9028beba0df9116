import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/root-usage.js';
import { A, OPTIONS, credentialRow, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const withRoot = (overrides: Parameters<typeof credentialRow>[1]) => global(iamAccount({ credentialReport: [credentialRow('<root_account>', overrides), credentialRow('alice')] }));
checkTester(check, {
  pass: [
    { name: 'root last used 200 days ago', options: OPTIONS, inventory: { iam: withRoot({ passwordLastUsed: daysBefore(200) }) } },
    { name: 'root never used', options: OPTIONS, inventory: { iam: withRoot({ passwordLastUsed: null }) } },
  ],
  fail: [
    { name: 'root signed in an hour before the report', options: OPTIONS, inventory: { iam: withRoot({ passwordLastUsed: daysBefore(1 / 24) }) }, findings: [{ resourceId: `arn:aws:iam::${A}:root`, key: 'usage', severity: 'high' }] },
    {
      name: 'root access key used today',
      options: OPTIONS,
      inventory: { iam: withRoot({ passwordLastUsed: daysBefore(300), accessKeys: [{ slot: 1, active: true, lastRotated: daysBefore(500), lastUsed: daysBefore(0.2) }, { slot: 2, active: false, lastRotated: null, lastUsed: null }] }) },
      findings: [{ resourceId: `arn:aws:iam::${A}:root`, key: 'usage', severity: 'high' }],
    },
  ],
  partial: [deniedCase('credential report denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
