import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';
import type { PolicyStatement } from '../collect/iam.js';

/** `"Effect": "Allow", "Action": "*", "Resource": "*"`, the CIS definition of full administrative privileges. */
function grantsEverything(statements: readonly PolicyStatement[]): boolean {
  return statements.some((s) => s.effect === 'Allow' && !s.notAction && s.actions.some((a) => a === '*' || a === '*:*') && s.resources.includes('*'));
}

export default defineAwsCheck({
  id: 'aws.iam.full-admin-policies',
  title: 'No attached IAM policy allows "*" on "*"',
  severity: 'high',
  description:
    'The default version of every attached managed policy (AWS and customer managed) and every inline policy, from GetAccountAuthorizationDetails: an Allow statement with Action "*" and Resource "*".',
  remediation: 'Detach the policy (or delete the inline policy) and grant the specific actions needed; keep break-glass admin behind a role with MFA.',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts.flatMap((a) => [
      ...a.data.policies
        .filter((p) => grantsEverything(p.statements))
        .map((p) =>
          // AWS-managed policy ARNs (arn:aws:iam::aws:policy/...) are the same in every account: the key keeps them apart.
          awsFinding({ account: a.account, scope: a.scope, resourceId: p.arn, key: `account:${a.account}`, title: `Policy ${p.name} grants "*" on "*" and is attached ${p.attachmentCount} time(s)`, severity: 'high', evidence: { policy: p.name, attachmentCount: p.attachmentCount } }),
        ),
      ...a.data.inlinePolicies
        .filter((p) => grantsEverything(p.statements))
        .map((p) =>
          awsFinding({ account: a.account, scope: a.scope, resourceId: p.owner, key: `inline:${p.name}`, title: `Inline policy ${p.name} of ${p.owner} grants "*" on "*"`, severity: 'high', evidence: { policy: p.name, inline: true } }),
        ),
    ]);
  },
});
