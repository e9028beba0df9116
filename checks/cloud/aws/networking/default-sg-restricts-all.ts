import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.ec2.default-sg-restricts-all',
  title: 'The default security group of every VPC has no rules',
  severity: 'medium',
  description:
    'DescribeSecurityGroups, groups named "default": any ingress or egress rule fails. A fresh default group keeps its one allow-all egress rule, so it fails until that rule is removed.',
  remediation: 'Remove every inbound and outbound rule of the default group and put workloads in groups of their own.',
  needs: { ec2: awsEc2 },
  evaluate({ ec2 }) {
    return ec2.regions.flatMap((r) =>
      r.data.securityGroups
        .filter((g) => g.name === 'default' && g.ingress.length + g.egress.length > 0)
        .map((g) =>
          awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: `arn:aws:ec2:${r.region}:${r.account}:security-group/${g.id}`, title: `Default security group ${g.id} of ${g.vpcId ?? 'EC2-Classic'} has ${g.ingress.length} inbound and ${g.egress.length} outbound rule(s)`, severity: 'medium', evidence: { vpc: g.vpcId, ingress: g.ingress.length, egress: g.egress.length } }),
        ),
    );
  },
});
