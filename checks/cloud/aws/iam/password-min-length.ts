import { defineAwsCheck } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';
import { passwordPolicyFindings } from './password-policy.js';

export default defineAwsCheck({
  id: 'aws.iam.password-min-length',
  title: 'The IAM password policy requires at least 14 characters',
  severity: 'medium',
  description: 'GetAccountPasswordPolicy; no policy set (NoSuchEntity) fails. The length is the `passwordMinLength` option (CIS: 14).',
  remediation: 'aws iam update-account-password-policy --minimum-password-length 14 (keep the other settings you have).',
  needs: { iam: awsIam },
  evaluate({ iam }, options) {
    return passwordPolicyFindings(iam, 'minimum length', (policy) =>
      (policy.minimumPasswordLength ?? 0) >= options.passwordMinLength ? null : { actual: policy.minimumPasswordLength, required: options.passwordMinLength },
    );
  },
});
