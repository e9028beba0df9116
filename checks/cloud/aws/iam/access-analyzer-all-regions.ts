import { defineAwsCheck, awsFinding, awsResourceId } from '../aws-check.js';
import { awsAccessAnalyzer } from '../collect/cis-collectors.js';

/**
 * The analyzer types (AnalyzerSummary.type) that look for external access. CIS (v5 1.19 names it "External Access
 * Analyzer") asks for these; ACCOUNT_UNUSED_ACCESS / ORGANIZATION_UNUSED_ACCESS and ACCOUNT_INTERNAL_ACCESS /
 * ORGANIZATION_INTERNAL_ACCESS analyzers report something else and do not satisfy the control.
 */
const EXTERNAL_ACCESS_TYPES: readonly string[] = ['ACCOUNT', 'ORGANIZATION'];

export default defineAwsCheck({
  id: 'aws.iam.access-analyzer-all-regions',
  title: 'IAM Access Analyzer has an active external access analyzer in every enabled region',
  severity: 'medium',
  description:
    'ListAnalyzers in every enabled region: at least one analyzer of type ACCOUNT or ORGANIZATION (external access) with status ACTIVE. Unused-access and internal-access analyzers do not count. A region that could not be read is unknown, not a pass.',
  remediation: 'aws accessanalyzer create-analyzer --analyzer-name account --type ACCOUNT in each region (or ORGANIZATION from the delegated admin).',
  needs: { analyzers: awsAccessAnalyzer },
  evaluate({ analyzers }) {
    return analyzers.regions
      .filter((r) => !r.data.analyzers.some((a) => a.status === 'ACTIVE' && EXTERNAL_ACCESS_TYPES.includes(a.type)))
      .map((r) =>
        awsFinding({
          account: r.account,
          region: r.region,
          scope: r.scope,
          resourceId: awsResourceId(r.account, r.region, 'access-analyzer'),
          title:
            r.data.analyzers.length === 0
              ? `No IAM Access Analyzer in ${r.account}/${r.region}`
              : `No active external access analyzer in ${r.account}/${r.region} (found: ${r.data.analyzers.map((a) => `${a.name} ${a.type} ${a.status}`).join(', ')})`,
          severity: 'medium',
          evidence: { analyzers: r.data.analyzers.map((a) => ({ name: a.name, type: a.type, status: a.status })) },
        }),
      );
  },
});
