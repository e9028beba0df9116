import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsKms } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.kms.key-rotation',
  title: 'Customer-managed symmetric KMS keys rotate automatically',
  severity: 'medium',
  description: 'ListKeys, DescribeKey and GetKeyRotationStatus: enabled CUSTOMER keys of spec SYMMETRIC_DEFAULT with rotation off.',
  remediation: 'aws kms enable-key-rotation --key-id <key>.',
  needs: { kms: awsKms },
  evaluate({ kms }) {
    return kms.regions.flatMap((r) =>
      r.data.keys
        .filter((k) => k.rotationEnabled === false)
        .map((k) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: k.arn, title: `KMS key ${k.id} in ${r.region} does not rotate`, severity: 'medium', evidence: { key: k.id } })),
    );
  },
});
