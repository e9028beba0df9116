import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

export default defineAwsCheck({
  id: 'aws.iam.user-attached-policies',
  title: 'IAM users get permissions only through groups',
  severity: 'low',
  description: 'GetAccountAuthorizationDetails: users with attached managed policies or inline policies.',
  remediation: 'Move the permissions to a group (or a role), add the user to it, and detach the policies from the user.',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts.flatMap((a) =>
      a.data.users
        .filter((u) => u.attachedPolicyArns.length > 0 || u.inlinePolicyNames.length > 0)
        .map((u) =>
          awsFinding({
            account: a.account,
            scope: a.scope,
            resourceId: u.arn,
            title: `IAM user ${u.name} has policies of its own (${u.attachedPolicyArns.length} attached, ${u.inlinePolicyNames.length} inline)`,
            severity: 'low',
            evidence: { attached: [...u.attachedPolicyArns], inline: [...u.inlinePolicyNames] },
          }),
        ),
    );
  },
});
