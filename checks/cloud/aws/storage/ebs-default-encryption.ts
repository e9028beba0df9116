import { defineAwsCheck, awsFinding, awsResourceId } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.ec2.ebs-default-encryption',
  title: 'EBS encryption by default is on in every enabled region',
  severity: 'medium',
  description:
    'GetEbsEncryptionByDefault, the account/region setting CIS audits. Existing volumes are not looked at: a region with no volumes still fails when new ones would be unencrypted.',
  remediation: 'aws ec2 enable-ebs-encryption-by-default --region <region> in every enabled region.',
  needs: { ec2: awsEc2 },
  evaluate({ ec2 }) {
    return ec2.regions
      .filter((r) => !r.data.ebsEncryptionByDefault)
      .map((r) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: awsResourceId(r.account, r.region, 'ebs-encryption-by-default'), title: `EBS encryption by default is off in ${r.account}/${r.region}`, severity: 'medium', evidence: { ebsEncryptionByDefault: false } }));
  },
});
