import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.root-hardware-mfa',
  title: 'The root user MFA is a hardware device, not a virtual one',
  severity: 'high',
  description:
    'Root MFA must be on (GetAccountSummary) and must not be one of the virtual MFA devices (ListVirtualMFADevices assigned to the root ARN).',
  remediation: 'Replace the root virtual MFA with a hardware key (FIDO security key or hardware TOTP token).',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts.flatMap((a) => {
      const root = `arn:aws:iam::${a.account}:root`;
      const virtual = a.data.virtualMfaDevices.find((d) => d.userArn === root);
      if (a.data.summary.accountMfaEnabled === 1 && !virtual) return [];
      return [
        awsFinding({
          account: a.account,
          scope: a.scope,
          resourceId: root,
          title: virtual ? `Root user of ${a.account} uses a virtual MFA device` : `Root user of ${a.account} has no MFA at all`,
          severity: 'high',
          evidence: { mfaEnabled: a.data.summary.accountMfaEnabled === 1, virtualSerial: virtual?.serial ?? null },
        }),
      ];
    });
  },
});
