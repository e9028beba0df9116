import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.root-access-keys',
  title: "The root user has no access keys",
  severity: 'critical',
  description: 'Reads AccountAccessKeysPresent from GetAccountSummary in every account. A root access key cannot be scoped down by any policy.',
  remediation: 'Sign in as root, delete its access keys (Security credentials page), and use IAM roles for programmatic access.',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts
      .filter((a) => a.data.summary.accountAccessKeysPresent > 0)
      .map((a) =>
        awsFinding({
          account: a.account,
          scope: a.scope,
          resourceId: `arn:aws:iam::${a.account}:root`,
          title: `Root user of ${a.account} has an access key`,
          severity: 'critical',
          evidence: { accountAccessKeysPresent: a.data.summary.accountAccessKeysPresent },
        }),
      );
  },
});
