import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsS3 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.s3.bucket-mfa-delete',
  title: 'Every S3 bucket has versioning with MFA Delete',
  severity: 'low',
  description: 'GetBucketVersioning of every bucket: Status Enabled and MFADelete Enabled.',
  remediation: 'As root with MFA: aws s3api put-bucket-versioning --bucket <b> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "<serial> <code>".',
  needs: { s3: awsS3 },
  evaluate({ s3 }) {
    return s3.accounts.flatMap((a) =>
      a.data.buckets
        .filter((b) => b.versioning !== 'Enabled' || b.mfaDelete !== 'Enabled')
        .map((b) =>
          awsFinding({ account: a.account, region: b.region, scope: a.scope, resourceId: `arn:aws:s3:::${b.name}`, title: `Bucket ${b.name} has no MFA Delete (versioning ${b.versioning ?? 'off'})`, severity: 'low', evidence: { versioning: b.versioning, mfaDelete: b.mfaDelete } }),
        ),
    );
  },
});
