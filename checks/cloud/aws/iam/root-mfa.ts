import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.root-mfa',
  title: 'The root user signs in with MFA',
  severity: 'critical',
  description: 'Reads AccountMFAEnabled from GetAccountSummary in every account.',
  remediation: 'Enable MFA for the root user (a hardware key where possible) from the root Security credentials page.',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts
      .filter((a) => a.data.summary.accountMfaEnabled !== 1)
      .map((a) =>
        awsFinding({ account: a.account, scope: a.scope, resourceId: `arn:aws:iam::${a.account}:root`, title: `Root user of ${a.account} has no MFA`, severity: 'critical', evidence: { accountMfaEnabled: a.data.summary.accountMfaEnabled } }),
      );
  },
});
