import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.ec2.instance-roles',
  title: 'EC2 instances use an IAM instance role for AWS access',
  severity: 'low',
  description: 'DescribeInstances: running or stopped instances without an IAM instance profile (keys baked into the host are the usual alternative).',
  remediation: 'Attach an instance profile with the permissions the workload needs and remove any static keys from the host.',
  needs: { ec2: awsEc2 },
  evaluate({ ec2 }) {
    return ec2.regions.flatMap((r) =>
      r.data.instances
        .filter((i) => i.instanceProfileArn === null)
        .map((i) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: `arn:aws:ec2:${r.region}:${r.account}:instance/${i.id}`, title: `Instance ${i.id} in ${r.region} has no IAM role`, severity: 'low', evidence: { instance: i.id, state: i.state } })),
    );
  },
});
