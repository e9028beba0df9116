import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsCloudTrail } from '../collect/cis-collectors.js';
import { homeTrails } from './trails.js';

export default defineAwsCheck({
  id: 'aws.cloudtrail.kms-encryption',
  title: 'CloudTrail logs are encrypted with a KMS key',
  severity: 'medium',
  description: 'DescribeTrails KmsKeyId, for each trail in its home region.',
  remediation: 'Create a KMS key whose policy lets CloudTrail encrypt and your readers decrypt, then aws cloudtrail update-trail --name <trail> --kms-key-id <key>.',
  needs: { cloudtrail: awsCloudTrail },
  evaluate({ cloudtrail }) {
    return homeTrails(cloudtrail)
      .filter((t) => !t.trail.kmsKeyId)
      .map((t) => awsFinding({ account: t.account, region: t.region, scope: t.scope, resourceId: t.trail.arn, title: `Trail ${t.trail.name} logs are not encrypted with KMS`, severity: 'medium', evidence: { trail: t.trail.name } }));
  },
});
