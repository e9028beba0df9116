import { defineAwsCheck, awsFinding, awsResourceId } from '../aws-check.js';
import { awsAccessAnalyzer } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.access-analyzer-all-regions',
  title: 'IAM Access Analyzer has an active analyzer in every enabled region',
  severity: 'medium',
  description: 'ListAnalyzers in every enabled region: at least one analyzer with status ACTIVE. A region that could not be read is unknown, not a pass.',
  remediation: 'aws accessanalyzer create-analyzer --analyzer-name account --type ACCOUNT in each region (or ORGANIZATION from the delegated admin).',
  needs: { analyzers: awsAccessAnalyzer },
  evaluate({ analyzers }) {
    return analyzers.regions
      .filter((r) => !r.data.analyzers.some((a) => a.status === 'ACTIVE'))
      .map((r) =>
        awsFinding({
          account: r.account,
          region: r.region,
          scope: r.scope,
          resourceId: awsResourceId(r.account, r.region, 'access-analyzer'),
          title: `No active IAM Access Analyzer in ${r.account}/${r.region}`,
          severity: 'medium',
          evidence: { analyzers: r.data.analyzers.map((a) => ({ name: a.name, status: a.status })) },
        }),
      );
  },
});
