import type { Severity } from '../../../../src/check-api/types.js';
import { defineAwsCheck } from '../aws-check.js';
import { awsCloudTrail, awsCloudWatch, awsLogs, awsSns } from '../collect/cis-collectors.js';
import { accountVerdicts, homeTrails, isCisTrail } from '../logging/trails.js';
import { alarmChain } from './alarm-chain.js';

/**
 * The CIS metric-filter family (v3 4.1-4.15): each control is a set of clauses its CloudWatch Logs metric filter
 * pattern must contain, on the log group of a multi-region trail, with an alarm on the filter's metric that notifies an
 * SNS topic with a confirmed subscriber. Clauses are compared with whitespace and quotes removed, so
 * `{ ($.eventName = "CreateTrail") || ... }` and `{($.eventName=CreateTrail)||...}` match alike. Automated in CIS v3
 * per Prowler and manual per Steampipe (and in v4.0.1 except 4.1): see cis-catalog.ts.
 */
export interface MetricAlarmControl {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly clauses: readonly string[];
}

const eventNames = (...names: string[]) => names.map((name) => `$.eventName=${name}`);

export const METRIC_ALARM_CONTROLS = [
  { id: 'aws.monitoring.unauthorized-api-calls-alarm', title: 'Unauthorized API calls raise an alarm', severity: 'medium', clauses: ['$.errorCode=*UnauthorizedOperation', '$.errorCode=AccessDenied*'] },
  { id: 'aws.monitoring.console-signin-without-mfa-alarm', title: 'Console sign-in without MFA raises an alarm', severity: 'medium', clauses: ['$.eventName=ConsoleLogin', '$.additionalEventData.MFAUsed!=Yes'] },
  { id: 'aws.monitoring.root-usage-alarm', title: 'Use of the root user raises an alarm', severity: 'high', clauses: ['$.userIdentity.type=Root', '$.userIdentity.invokedByNOTEXISTS', '$.eventType!=AwsServiceEvent'] },
  {
    id: 'aws.monitoring.iam-policy-changes-alarm',
    title: 'IAM policy changes raise an alarm',
    severity: 'medium',
    clauses: eventNames('DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'),
  },
  { id: 'aws.monitoring.cloudtrail-changes-alarm', title: 'CloudTrail configuration changes raise an alarm', severity: 'high', clauses: eventNames('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging') },
  { id: 'aws.monitoring.console-auth-failures-alarm', title: 'Console authentication failures raise an alarm', severity: 'low', clauses: ['$.eventName=ConsoleLogin', '$.errorMessage=Failedauthentication'] },
  { id: 'aws.monitoring.cmk-deletion-alarm', title: 'Disabling or scheduling deletion of KMS keys raises an alarm', severity: 'medium', clauses: ['$.eventSource=kms.amazonaws.com', ...eventNames('DisableKey', 'ScheduleKeyDeletion')] },
  {
    id: 'aws.monitoring.s3-bucket-policy-changes-alarm',
    title: 'S3 bucket policy changes raise an alarm',
    severity: 'medium',
    clauses: ['$.eventSource=s3.amazonaws.com', ...eventNames('PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication')],
  },
  { id: 'aws.monitoring.config-changes-alarm', title: 'AWS Config configuration changes raise an alarm', severity: 'medium', clauses: ['$.eventSource=config.amazonaws.com', ...eventNames('StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder')] },
  {
    id: 'aws.monitoring.security-group-changes-alarm',
    title: 'Security group changes raise an alarm',
    severity: 'medium',
    clauses: eventNames('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'),
  },
  { id: 'aws.monitoring.nacl-changes-alarm', title: 'Network ACL changes raise an alarm', severity: 'medium', clauses: eventNames('CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation') },
  { id: 'aws.monitoring.network-gateway-changes-alarm', title: 'Network gateway changes raise an alarm', severity: 'medium', clauses: eventNames('CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway') },
  {
    id: 'aws.monitoring.route-table-changes-alarm',
    title: 'Route table changes raise an alarm',
    severity: 'medium',
    clauses: ['$.eventSource=ec2.amazonaws.com', ...eventNames('CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable')],
  },
  {
    id: 'aws.monitoring.vpc-changes-alarm',
    title: 'VPC changes raise an alarm',
    severity: 'medium',
    clauses: eventNames('CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'),
  },
  {
    id: 'aws.monitoring.organizations-changes-alarm',
    title: 'AWS Organizations changes raise an alarm',
    severity: 'medium',
    clauses: [
      '$.eventSource=organizations.amazonaws.com',
      ...eventNames('AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'),
    ],
  },
] as const satisfies readonly MetricAlarmControl[];

export type MetricAlarmControlId = (typeof METRIC_ALARM_CONTROLS)[number]['id'];

export function defineMetricAlarmCheck(id: MetricAlarmControlId) {
  const control: MetricAlarmControl = METRIC_ALARM_CONTROLS.find((row) => row.id === id)!;
  return defineAwsCheck({
    id: control.id,
    title: control.title,
    severity: control.severity,
    description:
      `A multi-region logging trail sends to CloudWatch Logs; a metric filter on that log group contains ${control.clauses.join(' and ')}; an alarm on its metric ` +
      'notifies an SNS topic with a confirmed subscriber (DescribeTrails, DescribeMetricFilters, DescribeAlarms, ListSubscriptions). Unknown while a region is unread.',
    remediation: 'Send the multi-region trail to CloudWatch Logs, add the CIS metric filter for this event to its log group, create an alarm on the metric (threshold 1) and subscribe your on-call to its SNS topic.',
    needs: { cloudtrail: awsCloudTrail, logs: awsLogs, cloudwatch: awsCloudWatch, sns: awsSns },
    evaluate({ cloudtrail, logs, cloudwatch, sns }) {
      const trails = homeTrails(cloudtrail).filter((t) => isCisTrail(t.trail));
      const chains = new Map(cloudtrail.listed.map(({ account }) => [account, alarmChain(account, trails, control.clauses, logs, cloudwatch, sns)]));
      return accountVerdicts([cloudtrail, logs, cloudwatch, sns], {
        what: control.id.split('.').at(-1)!,
        severity: control.severity,
        satisfied: (account) => chains.get(account)?.complete === true,
        title: (account) => `${account}: ${control.title.toLowerCase().replace(/ raises? an alarm$/, '')} raises no alarm (${chains.get(account)?.brokenAt ?? 'no trail'})`,
        evidence: (account) => ({ brokenAt: chains.get(account)?.brokenAt ?? null, clauses: [...control.clauses] }),
      });
    },
  });
}
