import { defineAwsCheck, awsFinding, evaluationTime } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.expired-server-certificates',
  title: 'No expired SSL/TLS certificate is stored in IAM',
  severity: 'low',
  description: 'ListServerCertificates: Expiration before the credential report time (or `asOf`).',
  remediation: 'aws iam delete-server-certificate --server-certificate-name <name> after checking nothing still serves it.',
  needs: { iam: awsIam },
  evaluate({ iam }, options) {
    return iam.accounts.flatMap((a) => {
      const now = evaluationTime(options, a.data.reportGeneratedAt);
      return a.data.serverCertificates
        .filter((c) => c.expiration !== null && Date.parse(c.expiration) < now)
        .map((c) => awsFinding({ account: a.account, scope: a.scope, resourceId: c.arn, title: `IAM server certificate ${c.name} expired on ${c.expiration}`, severity: 'low', evidence: { expiration: c.expiration } }));
    });
  },
});
