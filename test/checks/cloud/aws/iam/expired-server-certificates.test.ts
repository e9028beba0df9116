import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/expired-server-certificates.js';
import { A, OPTIONS, daysBefore, deniedCase, emptyGlobal, global, globalScopeOf, iamAccount } from '../builders.js';

const cert = (name: string, expiration: string) => ({ name, arn: `arn:aws:iam::${A}:server-certificate/${name}`, expiration });
checkTester(check, {
  pass: [{ name: 'certificate still valid', options: OPTIONS, inventory: { iam: global(iamAccount({ serverCertificates: [cert('www', daysBefore(-30))] })) } }],
  fail: [{ name: 'certificate expired', options: OPTIONS, inventory: { iam: global(iamAccount({ serverCertificates: [cert('old', daysBefore(3)), cert('www', daysBefore(-30))] })) }, findings: [{ resourceId: `arn:aws:iam::${A}:server-certificate/old`, severity: 'low' }] }],
  partial: [deniedCase('IAM denied', ['iam'], { iam: emptyGlobal }, globalScopeOf(A))],
});
