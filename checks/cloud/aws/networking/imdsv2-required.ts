import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.ec2.imdsv2-required',
  title: 'EC2 instances require IMDSv2',
  severity: 'high',
  description: 'DescribeInstances MetadataOptions: HttpTokens must be "required" unless the metadata endpoint is disabled. The region default (GetInstanceMetadataDefaults) is in the evidence.',
  remediation: 'aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required; set the region default with put-instance-metadata-defaults.',
  needs: { ec2: awsEc2 },
  evaluate({ ec2 }) {
    return ec2.regions.flatMap((r) =>
      r.data.instances
        .filter((i) => i.httpEndpoint !== 'disabled' && i.httpTokens !== 'required')
        .map((i) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: `arn:aws:ec2:${r.region}:${r.account}:instance/${i.id}`, title: `Instance ${i.id} in ${r.region} accepts IMDSv1`, severity: 'high', evidence: { instance: i.id, httpTokens: i.httpTokens, regionDefault: r.data.metadataDefaultHttpTokens } })),
    );
  },
});
