import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/encrypted.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const fs = (id: string, encrypted: boolean) => ({ id, arn: `arn:aws:elasticfilesystem:eu-west-1:${A}:file-system/${id}`, encrypted });
checkTester(check, {
  pass: [{ name: 'encrypted file systems', options: OPTIONS, inventory: { efs: regional(() => ({ fileSystems: [fs('fs-1', true)] })) } }],
  fail: [{ name: 'an unencrypted file system', options: OPTIONS, inventory: { efs: regional((r) => ({ fileSystems: r === 'eu-west-1' ? [fs('fs-1', true), fs('fs-2', false)] : [] })) }, findings: [{ resourceId: fs('fs-2', false).arn, severity: 'medium' }] }],
  partial: [deniedCase('DescribeFileSystems denied', ['efs'], { efs: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
