import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.ec2.vpc-flow-logs',
  title: 'Every VPC has an active flow log',
  severity: 'medium',
  description: 'DescribeVpcs and DescribeFlowLogs: a VPC with no flow log whose resource is the VPC and status ACTIVE.',
  remediation: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc> --traffic-type REJECT (or ALL) with a log destination.',
  needs: { ec2: awsEc2 },
  evaluate({ ec2 }) {
    return ec2.regions.flatMap((r) => {
      const logged = new Set(r.data.flowLogs.filter((f) => f.status === null || f.status === 'ACTIVE').map((f) => f.resourceId));
      return r.data.vpcs
        .filter((v) => !logged.has(v.id))
        .map((v) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: `arn:aws:ec2:${r.region}:${r.account}:vpc/${v.id}`, title: `VPC ${v.id} in ${r.region} has no flow log`, severity: 'medium', evidence: { vpc: v.id, default: v.isDefault } }));
    });
  },
});
