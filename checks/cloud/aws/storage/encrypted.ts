import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEfs } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.efs.encrypted',
  title: 'EFS file systems are encrypted at rest',
  severity: 'medium',
  description: 'DescribeFileSystems Encrypted in every enabled region.',
  remediation: 'Encryption is chosen at creation: create an encrypted file system, copy the data (AWS DataSync), and delete the old one.',
  needs: { efs: awsEfs },
  evaluate({ efs }) {
    return efs.regions.flatMap((r) =>
      r.data.fileSystems
        .filter((fs) => !fs.encrypted)
        .map((fs) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: fs.arn, title: `EFS file system ${fs.id} in ${r.region} is not encrypted`, severity: 'medium', evidence: { fileSystem: fs.id } })),
    );
  },
});
