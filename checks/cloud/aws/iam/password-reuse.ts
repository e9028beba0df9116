import { defineAwsCheck } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';
import { passwordPolicyFindings } from './password-policy.js';

export default defineAwsCheck({
  id: 'aws.iam.password-reuse',
  title: 'The IAM password policy prevents reusing the last 24 passwords',
  severity: 'medium',
  description: 'GetAccountPasswordPolicy PasswordReusePrevention; no policy set fails. The count is the `passwordReusePrevention` option (CIS: 24).',
  remediation: 'aws iam update-account-password-policy --password-reuse-prevention 24 (keep the other settings you have).',
  needs: { iam: awsIam },
  evaluate({ iam }, options) {
    return passwordPolicyFindings(iam, 'password reuse prevention', (policy) =>
      (policy.passwordReusePrevention ?? 0) >= options.passwordReusePrevention ? null : { actual: policy.passwordReusePrevention, required: options.passwordReusePrevention },
    );
  },
});
