import { defineAwsCheck, awsFinding, awsResourceId } from '../aws-check.js';
import { awsSecurityHub } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.securityhub.enabled',
  title: 'AWS Security Hub is enabled in every enabled region',
  severity: 'medium',
  description: 'DescribeHub in every region; InvalidAccessException ("not subscribed") means off. AccessDenied is unknown, not off.',
  remediation: 'aws securityhub enable-security-hub --region <region> (or enable it organization-wide from the delegated administrator).',
  needs: { securityhub: awsSecurityHub },
  evaluate({ securityhub }) {
    return securityhub.regions
      .filter((r) => !r.data.enabled)
      .map((r) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: awsResourceId(r.account, r.region, 'securityhub'), title: `Security Hub is not enabled in ${r.account}/${r.region}`, severity: 'medium', evidence: { enabled: false } }));
  },
});
