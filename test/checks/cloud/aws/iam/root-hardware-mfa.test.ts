import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/root-hardware-mfa.js';
import { A, OPTIONS, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const root = `arn:aws:iam::${A}:root`;
checkTester(check, {
  pass: [
    { name: 'MFA on and no virtual device is the root one', options: OPTIONS, inventory: { iam: global(iamAccount({ virtualMfaDevices: [{ serial: `arn:aws:iam::${A}:mfa/alice`, userArn: `arn:aws:iam::${A}:user/alice` }] })) } },
  ],
  fail: [
    { name: 'root MFA is virtual', options: OPTIONS, inventory: { iam: global(iamAccount({ virtualMfaDevices: [{ serial: `arn:aws:iam::${A}:mfa/root-account-mfa-device`, userArn: root }] })) }, findings: [{ resourceId: root, severity: 'high', title: 'virtual' }] },
    { name: 'root has no MFA at all', options: OPTIONS, inventory: { iam: global(iamAccount({ summary: { accountAccessKeysPresent: 0, accountMfaEnabled: 0 } })) }, findings: [{ resourceId: root, severity: 'high', title: 'no MFA' }] },
  ],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
