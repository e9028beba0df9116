import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';

const SUPPORT_POLICY = 'arn:aws:iam::aws:policy/AWSSupportAccess';

export default defineAwsCheck({
  id: 'aws.iam.support-role',
  title: 'A role with AWSSupportAccess exists to manage incidents with AWS Support',
  severity: 'low',
  description: 'GetAccountAuthorizationDetails: at least one role has the AWS managed policy AWSSupportAccess attached.',
  remediation: 'Create a role for your incident responders and attach arn:aws:iam::aws:policy/AWSSupportAccess.',
  needs: { iam: awsIam },
  evaluate({ iam }) {
    return iam.accounts
      .filter((a) => !a.data.roles.some((r) => r.attachedPolicyArns.includes(SUPPORT_POLICY)))
      .map((a) => awsFinding({ account: a.account, scope: a.scope, resourceId: `arn:aws:iam::${a.account}:root`, key: 'support-role', title: `${a.account} has no role with AWSSupportAccess`, severity: 'low', evidence: { policy: SUPPORT_POLICY } }));
  },
});
