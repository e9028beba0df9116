import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/ebs-default-encryption.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'on in every region', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } }],
  fail: [
    {
      // The trap Prowler's volume-based mapping falls into: no volumes at all, yet new ones would be unencrypted.
      name: 'off in a region that has no volumes and no instances',
      options: OPTIONS,
      inventory: { ec2: regional((region) => (region === 'us-east-1' ? ec2Region({ ebsEncryptionByDefault: false, instances: [] }) : ec2Region())) },
      findings: [{ resourceId: `aws:${A}/us-east-1/ebs-encryption-by-default`, severity: 'medium', scope: regionScopeOf(A, 'us-east-1') }],
    },
  ],
  partial: [deniedCase('GetEbsEncryptionByDefault denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
