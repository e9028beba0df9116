import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsCloudTrail, awsS3 } from '../collect/cis-collectors.js';
import { homeTrails } from './trails.js';

export default defineAwsCheck({
  id: 'aws.cloudtrail.bucket-access-logging',
  title: 'The CloudTrail S3 bucket has server access logging on',
  severity: 'medium',
  description:
    "DescribeTrails S3BucketName and GetBucketLogging of that bucket. A trail bucket in another account (a central log archive) is not in this account's inventory and is audited with that account.",
  remediation: 'aws s3api put-bucket-logging --bucket <trail bucket> --bucket-logging-status with a TargetBucket you control.',
  needs: { cloudtrail: awsCloudTrail, s3: awsS3 },
  evaluate({ cloudtrail, s3 }) {
    const buckets = new Map(s3.accounts.flatMap((a) => a.data.buckets.map((b) => [b.name, { account: a.account, scope: a.scope, bucket: b }] as const)));
    const seen = new Set<string>();
    return homeTrails(cloudtrail).flatMap((t) => {
      const found = t.trail.s3BucketName ? buckets.get(t.trail.s3BucketName) : undefined;
      if (!found || found.bucket.loggingTargetBucket || seen.has(found.bucket.name)) return [];
      seen.add(found.bucket.name);
      return [
        awsFinding({ account: found.account, region: found.bucket.region, scope: found.scope, resourceId: `arn:aws:s3:::${found.bucket.name}`, title: `CloudTrail bucket ${found.bucket.name} has no access logging`, severity: 'medium', evidence: { trail: t.trail.arn, bucket: found.bucket.name } }),
      ];
    });
  },
});
