import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsS3 } from '../collect/cis-collectors.js';
import type { PublicAccessBlock } from '../collect/s3.js';

const complete = (block: PublicAccessBlock | null) => block !== null && block.blockPublicAcls && block.ignorePublicAcls && block.blockPublicPolicy && block.restrictPublicBuckets;

export default defineAwsCheck({
  id: 'aws.s3.public-access-block',
  title: 'S3 Block Public Access is on for the account or for every bucket',
  severity: 'high',
  description:
    'S3 Control GetPublicAccessBlock for the account and S3 GetPublicAccessBlock per bucket: a bucket passes when all four settings are on at either level. Not configured (NoSuchPublicAccessBlockConfiguration) counts as off.',
  remediation: 'aws s3control put-public-access-block --account-id <id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true.',
  needs: { s3: awsS3 },
  evaluate({ s3 }) {
    return s3.accounts.flatMap((a) => {
      if (complete(a.data.accountPublicAccessBlock)) return [];
      return a.data.buckets
        .filter((b) => !complete(b.publicAccessBlock))
        .map((b) =>
          awsFinding({
            account: a.account,
            region: b.region,
            scope: a.scope,
            resourceId: `arn:aws:s3:::${b.name}`,
            title: `Bucket ${b.name} is not covered by Block Public Access (account or bucket)`,
            severity: 'high',
            evidence: { account: a.data.accountPublicAccessBlock, bucket: b.publicAccessBlock },
          }),
        );
    });
  },
});
