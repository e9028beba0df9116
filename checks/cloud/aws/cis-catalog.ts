import type { Reference } from '../../../src/check-api/types.js';

/**
 * CIS AWS Foundations Benchmark v3.0.0 (62 controls), the two controls v4.0.1 added, and the v5.0.0 ids, one row per
 * control, as data: check ids never carry benchmark numbers (CIS renumbers: v3 2.2.1 is v4 5.1.1, v4 1.4 is v5 1.3), so
 * the numbers live here and the compliance view is built from this table and the run results.
 *
 * "Automated" is recorded per version with its source, because the sources disagree: for v3.0.0 Prowler's
 * `compliance/aws/cis_3.0_aws.json` (5.39.1) marks 54 controls Automated, Steampipe's `cis_v300` (aws_compliance
 * v1.13.0) 35; for v4.0.1 both agree on 37; for v5.0.0 Prowler's `compliance/aws/cis_5.0_aws.json` (commit 0b63ccb)
 * marks 35, Steampipe's `cis_v500` (section_1-5.pp at 05e3bcc, 4932b66, 48d05ee, bb290bc) 37. They part on v5 3.1, 3.4
 * and 4.1 (Steampipe automated, as in v4.0.1) and on 5.1.2 CIFS (Prowler automated, v4.0.1 manual). `check` names the
 * Vigil check that evaluates the control, or null when the control is left to a person (`manual` in every summary,
 * outside the score).
 */
export type Assessment = 'automated' | 'manual';

export interface CisControl {
  readonly v3: string | null;
  readonly v4: string | null;
  readonly v5: string | null;
  readonly title: string;
  /** The v5.0.0 wording, kept because it can narrow the control (v5 1.19 asks for an *External* Access Analyzer). */
  readonly titleV5: string | null;
  readonly level: 1 | 2;
  /** v5.0.0 moved two controls from Level 1 to Level 2 (2.1.2 MFA Delete, 4.1 unauthorized API calls). */
  readonly levelV5: 1 | 2 | null;
  readonly assessment: {
    readonly '3.0.0': { readonly prowler: Assessment; readonly steampipe: Assessment } | null;
    readonly '4.0.1': Assessment | null;
    readonly '5.0.0': { readonly prowler: Assessment; readonly steampipe: Assessment } | null;
  };
  readonly check: string | null;
}

const A: Assessment = 'automated';
const M: Assessment = 'manual';
type Row = [v3: string | null, v4: string | null, title: string, level: 1 | 2, prowler3: Assessment | null, steampipe3: Assessment | null, v4auto: Assessment | null, check: string | null];

const ROWS: readonly Row[] = [
  ['1.1', '1.1', 'Maintain current contact details', 1, M, M, M, null],
  ['1.2', '1.2', 'Security contact information is registered', 1, M, M, M, null],
  ['1.3', '1.3', 'Security questions are registered in the AWS account', 1, M, M, M, null],
  ['1.4', '1.4', "No 'root' user account access key exists", 1, A, A, A, 'aws.iam.root-access-keys'],
  ['1.5', '1.5', "MFA is enabled for the 'root' user account", 1, A, A, A, 'aws.iam.root-mfa'],
  ['1.6', '1.6', "Hardware MFA is enabled for the 'root' user account", 2, A, M, M, 'aws.iam.root-hardware-mfa'],
  ['1.7', '1.7', "Eliminate use of the 'root' user for administrative and daily tasks", 1, A, M, M, 'aws.iam.root-usage'],
  ['1.8', '1.8', 'IAM password policy requires minimum length of 14 or greater', 1, A, A, A, 'aws.iam.password-min-length'],
  ['1.9', '1.9', 'IAM password policy prevents password reuse', 1, A, A, A, 'aws.iam.password-reuse'],
  ['1.10', '1.10', 'MFA is enabled for all IAM users that have a console password', 1, A, A, A, 'aws.iam.console-users-mfa'],
  ['1.11', '1.11', 'Do not setup access keys during initial user setup for all IAM users that have a console password', 1, A, M, M, 'aws.iam.keys-at-user-setup'],
  ['1.12', '1.12', 'Credentials unused for 45 days or greater are disabled', 1, A, A, A, 'aws.iam.unused-credentials'],
  ['1.13', '1.13', 'There is only one active access key available for any single IAM user', 1, A, A, A, 'aws.iam.one-active-key'],
  ['1.14', '1.14', 'Access keys are rotated every 90 days or less', 1, A, A, A, 'aws.iam.access-key-rotation'],
  ['1.15', '1.15', 'IAM Users Receive Permissions Only Through Groups', 1, A, A, A, 'aws.iam.user-attached-policies'],
  ['1.16', '1.16', 'IAM policies that allow full "*:*" administrative privileges are not attached', 1, A, A, A, 'aws.iam.full-admin-policies'],
  ['1.17', '1.17', 'A support role has been created to manage incidents with AWS Support', 1, A, A, A, 'aws.iam.support-role'],
  ['1.18', '1.18', 'IAM instance roles are used for AWS resource access from instances', 2, M, A, A, 'aws.ec2.instance-roles'],
  ['1.19', '1.19', 'All the expired SSL/TLS certificates stored in AWS IAM are removed', 1, A, A, A, 'aws.iam.expired-server-certificates'],
  ['1.20', '1.20', 'IAM Access analyzer is enabled for all regions', 1, A, A, A, 'aws.iam.access-analyzer-all-regions'],
  ['1.21', '1.21', 'IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments', 2, M, M, M, null],
  ['1.22', '1.22', 'Access to AWSCloudShellFullAccess is restricted', 1, M, M, M, null],
  ['2.1.1', '2.1.1', 'S3 Bucket Policy is set to deny HTTP requests', 2, A, A, A, 'aws.s3.bucket-tls-only'],
  ['2.1.2', '2.1.2', 'MFA Delete is enabled on S3 buckets', 1, A, M, M, 'aws.s3.bucket-mfa-delete'],
  ['2.1.3', '2.1.3', 'All data in Amazon S3 has been discovered, classified and secured when required', 2, M, M, M, null],
  ['2.1.4', '2.1.4', "S3 Buckets are configured with 'Block public access (bucket settings)'", 1, A, A, A, 'aws.s3.public-access-block'],
  ['2.2.1', '5.1.1', 'EBS Volume Encryption is Enabled in all Regions', 1, A, A, A, 'aws.ec2.ebs-default-encryption'],
  ['2.3.1', '2.2.1', 'Encryption is enabled for RDS Instances', 1, A, A, A, 'aws.rds.storage-encrypted'],
  ['2.3.2', '2.2.2', 'Auto Minor Version Upgrade feature is Enabled for RDS Instances', 1, A, A, A, 'aws.rds.auto-minor-version-upgrade'],
  ['2.3.3', '2.2.3', 'Public Access is not given to RDS Instance', 1, A, A, A, 'aws.rds.no-public-access'],
  ['2.4.1', '2.3.1', 'Encryption is enabled for EFS file systems', 1, A, M, A, 'aws.efs.encrypted'],
  ['3.1', '3.1', 'CloudTrail is enabled in all regions', 1, A, A, A, 'aws.cloudtrail.multi-region'],
  ['3.2', '3.2', 'CloudTrail log file validation is enabled', 2, A, A, A, 'aws.cloudtrail.log-file-validation'],
  ['3.3', '3.3', 'AWS Config is enabled in all regions', 2, A, A, A, 'aws.config.all-regions'],
  ['3.4', '3.4', 'S3 bucket access logging is enabled on the CloudTrail S3 bucket', 1, A, A, A, 'aws.cloudtrail.bucket-access-logging'],
  ['3.5', '3.5', 'CloudTrail logs are encrypted at rest using KMS CMKs', 2, A, A, A, 'aws.cloudtrail.kms-encryption'],
  ['3.6', '3.6', 'Rotation for customer-created symmetric CMKs is enabled', 2, A, A, A, 'aws.kms.key-rotation'],
  ['3.7', '3.7', 'VPC flow logging is enabled in all VPCs', 2, A, A, A, 'aws.ec2.vpc-flow-logs'],
  ['3.8', '3.8', 'Object-level logging for write events is enabled for S3 bucket', 2, A, A, A, 'aws.cloudtrail.s3-write-data-events'],
  ['3.9', '3.9', 'Object-level logging for read events is enabled for S3 bucket', 2, A, A, A, 'aws.cloudtrail.s3-read-data-events'],
  ['4.1', '4.1', 'Unauthorized API calls are monitored', 1, A, M, A, 'aws.monitoring.unauthorized-api-calls-alarm'],
  ['4.2', '4.2', 'Management Console sign-in without MFA is monitored', 1, A, M, M, 'aws.monitoring.console-signin-without-mfa-alarm'],
  ['4.3', '4.3', "Usage of the 'root' account is monitored", 1, A, M, M, 'aws.monitoring.root-usage-alarm'],
  ['4.4', '4.4', 'IAM policy changes are monitored', 1, A, M, M, 'aws.monitoring.iam-policy-changes-alarm'],
  ['4.5', '4.5', 'CloudTrail configuration changes are monitored', 1, A, M, M, 'aws.monitoring.cloudtrail-changes-alarm'],
  ['4.6', '4.6', 'AWS Management Console authentication failures are monitored', 2, A, M, M, 'aws.monitoring.console-auth-failures-alarm'],
  ['4.7', '4.7', 'Disabling or scheduled deletion of customer created CMKs is monitored', 2, A, M, M, 'aws.monitoring.cmk-deletion-alarm'],
  ['4.8', '4.8', 'S3 bucket policy changes are monitored', 1, A, M, M, 'aws.monitoring.s3-bucket-policy-changes-alarm'],
  ['4.9', '4.9', 'AWS Config configuration changes are monitored', 2, A, M, M, 'aws.monitoring.config-changes-alarm'],
  ['4.10', '4.10', 'Security group changes are monitored', 2, A, M, M, 'aws.monitoring.security-group-changes-alarm'],
  ['4.11', '4.11', 'Network Access Control List (NACL) changes are monitored', 2, A, M, M, 'aws.monitoring.nacl-changes-alarm'],
  ['4.12', '4.12', 'Changes to network gateways are monitored', 1, A, M, M, 'aws.monitoring.network-gateway-changes-alarm'],
  ['4.13', '4.13', 'Route table changes are monitored', 1, A, M, M, 'aws.monitoring.route-table-changes-alarm'],
  ['4.14', '4.14', 'VPC changes are monitored', 1, A, M, M, 'aws.monitoring.vpc-changes-alarm'],
  ['4.15', '4.15', 'AWS Organizations changes are monitored', 1, A, M, M, 'aws.monitoring.organizations-changes-alarm'],
  ['4.16', '4.16', 'AWS Security Hub is enabled', 2, A, A, A, 'aws.securityhub.enabled'],
  ['5.1', '5.2', 'No Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports', 1, A, A, A, 'aws.ec2.nacl-admin-ports'],
  ['5.2', '5.3', 'No security groups allow ingress from 0.0.0.0/0 to remote server administration ports', 1, A, A, A, 'aws.ec2.sg-admin-ports-ipv4'],
  ['5.3', '5.4', 'No security groups allow ingress from ::/0 to remote server administration ports', 1, A, A, A, 'aws.ec2.sg-admin-ports-ipv6'],
  ['5.4', '5.5', 'The default security group of every VPC restricts all traffic', 2, A, A, A, 'aws.ec2.default-sg-restricts-all'],
  ['5.5', '5.6', 'Routing tables for VPC peering are "least access"', 2, M, M, M, null],
  ['5.6', '5.7', 'EC2 Metadata Service only allows IMDSv2', 1, A, A, A, 'aws.ec2.imdsv2-required'],
  [null, '2.2.4', 'Multi-AZ deployments are used for enhanced availability in Amazon RDS', 1, null, null, M, null],
  [null, '5.1.2', 'CIFS access is restricted to trusted networks to prevent unauthorized access', 1, null, null, M, 'aws.ec2.sg-cifs-ports'],
];

/**
 * v5.0.0 (63 controls), in v5 order, joined to the rows above by the v4.0.1 id. Every v5 control is a v4.0.1 control
 * renumbered or reworded; v4.0.1 1.3 (security questions) was dropped, so its row has no v5 id.
 */
type V5Row = [v5: string, v4: string, title: string, level: 1 | 2, prowler: Assessment, steampipe: Assessment];

const V5_ROWS: readonly V5Row[] = [
  ['1.1', '1.1', 'Maintain current contact details', 1, M, M],
  ['1.2', '1.2', 'Security contact information is registered', 1, M, M],
  ['1.3', '1.4', "No 'root' user account access key exists", 1, A, A],
  ['1.4', '1.5', "MFA is enabled for the 'root' user account", 1, A, A],
  ['1.5', '1.6', "Hardware MFA is enabled for the 'root' user account", 2, M, M],
  ['1.6', '1.7', "Eliminate use of the 'root' user for administrative and daily tasks", 1, M, M],
  ['1.7', '1.8', 'IAM password policy requires minimum length of 14 or greater', 1, A, A],
  ['1.8', '1.9', 'IAM password policy prevents password reuse', 1, A, A],
  ['1.9', '1.10', 'Multi-factor authentication (MFA) is enabled for all IAM users that have a console password', 1, A, A],
  ['1.10', '1.11', 'Do not create access keys during initial setup for IAM users with a console password', 1, M, M],
  ['1.11', '1.12', 'Credentials unused for 45 days or more are disabled', 1, A, A],
  ['1.12', '1.13', 'There is only one active access key for any single IAM user', 1, A, A],
  ['1.13', '1.14', 'Access keys are rotated every 90 days or less', 1, A, A],
  ['1.14', '1.15', 'IAM users receive permissions only through groups', 1, A, A],
  ['1.15', '1.16', 'IAM policies that allow full *:* administrative privileges are not attached', 1, A, A],
  ['1.16', '1.17', 'A support role has been created to manage incidents with AWS Support', 1, A, A],
  ['1.17', '1.18', 'IAM instance roles are used for AWS resource access from instances', 2, A, A],
  ['1.18', '1.19', 'All expired SSL/TLS certificates stored in AWS IAM are removed', 1, A, A],
  ['1.19', '1.20', 'IAM External Access Analyzer is enabled for all regions', 1, A, A],
  ['1.20', '1.21', 'IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments', 2, M, M],
  ['1.21', '1.22', 'Access to AWSCloudShellFullAccess is restricted', 1, M, M],
  ['2.1.1', '2.1.1', 'S3 Bucket Policy is set to deny HTTP requests', 2, A, A],
  ['2.1.2', '2.1.2', 'MFA Delete is enabled on S3 buckets', 2, M, M],
  ['2.1.3', '2.1.3', 'All data in Amazon S3 has been discovered, classified, and secured when necessary', 2, M, M],
  ['2.1.4', '2.1.4', "S3 is configured with 'Block Public Access' enabled", 1, A, A],
  ['2.2.1', '2.2.1', 'Encryption-at-rest is enabled for RDS instances', 1, A, A],
  ['2.2.2', '2.2.2', 'The Auto Minor Version Upgrade feature is enabled for RDS instances', 1, A, A],
  ['2.2.3', '2.2.3', 'RDS instances are not publicly accessible', 1, A, A],
  ['2.2.4', '2.2.4', 'Multi-AZ deployments are used for enhanced availability in Amazon RDS', 1, M, M],
  ['2.3.1', '2.3.1', 'Encryption is enabled for EFS file systems', 1, A, A],
  ['3.1', '3.1', 'CloudTrail is enabled in all regions', 1, M, A],
  ['3.2', '3.2', 'CloudTrail log file validation is enabled', 2, A, A],
  ['3.3', '3.3', 'AWS Config is enabled in all regions', 2, A, A],
  ['3.4', '3.4', 'Server access logging is enabled on the CloudTrail S3 bucket', 1, M, A],
  ['3.5', '3.5', 'CloudTrail logs are encrypted at rest using KMS CMKs', 2, A, A],
  ['3.6', '3.6', 'Rotation for customer-created symmetric CMKs is enabled', 2, A, A],
  ['3.7', '3.7', 'VPC flow logging is enabled in all VPCs', 2, A, A],
  ['3.8', '3.8', 'Object-level logging for write events is enabled for S3 buckets', 2, A, A],
  ['3.9', '3.9', 'Object-level logging for read events is enabled for S3 buckets', 2, A, A],
  ['4.1', '4.1', 'Unauthorized API calls are monitored', 2, M, A],
  ['4.2', '4.2', 'Management console sign-in without MFA is monitored', 1, M, M],
  ['4.3', '4.3', "Usage of the 'root' account is monitored", 1, M, M],
  ['4.4', '4.4', 'IAM policy changes are monitored', 1, M, M],
  ['4.5', '4.5', 'CloudTrail configuration changes are monitored', 1, M, M],
  ['4.6', '4.6', 'AWS Management Console authentication failures are monitored', 2, M, M],
  ['4.7', '4.7', 'Disabling or scheduled deletion of customer created CMKs is monitored', 2, M, M],
  ['4.8', '4.8', 'S3 bucket policy changes are monitored', 1, M, M],
  ['4.9', '4.9', 'AWS Config configuration changes are monitored', 2, M, M],
  ['4.10', '4.10', 'Security group changes are monitored', 2, M, M],
  ['4.11', '4.11', 'Network Access Control List (NACL) changes are monitored', 2, M, M],
  ['4.12', '4.12', 'Changes to network gateways are monitored', 1, M, M],
  ['4.13', '4.13', 'Route table changes are monitored', 1, M, M],
  ['4.14', '4.14', 'VPC changes are monitored', 1, M, M],
  ['4.15', '4.15', 'AWS Organizations changes are monitored', 1, M, M],
  ['4.16', '4.16', 'AWS Security Hub is enabled', 2, A, A],
  ['5.1.1', '5.1.1', 'EBS volume encryption is enabled in all regions', 1, A, A],
  ['5.1.2', '5.1.2', 'CIFS access is restricted to trusted networks to prevent unauthorized access', 1, A, M],
  ['5.2', '5.2', 'No Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports', 1, A, A],
  ['5.3', '5.3', 'No security groups allow ingress from 0.0.0.0/0 to remote server administration ports', 1, A, A],
  ['5.4', '5.4', 'No security groups allow ingress from ::/0 to remote server administration ports', 1, A, A],
  ['5.5', '5.5', 'The default security group of every VPC restricts all traffic', 2, A, A],
  ['5.6', '5.6', 'Routing tables for VPC peering are least access', 2, M, M],
  ['5.7', '5.7', 'The EC2 Metadata Service only allows IMDSv2', 1, A, A],
];

const V5_BY_V4 = new Map(V5_ROWS.map((row) => [row[1], row]));
if (V5_BY_V4.size !== V5_ROWS.length || V5_ROWS.some(([, v4]) => !ROWS.some((row) => row[1] === v4))) {
  throw new Error('CIS v5.0.0 rows must each join exactly one v4.0.1 row');
}

export const CIS_AWS_CONTROLS: readonly CisControl[] = Object.freeze(
  ROWS.map(([v3, v4, title, level, prowler3, steampipe3, v4auto, check]) => {
    const v5 = v4 ? V5_BY_V4.get(v4) : undefined;
    return Object.freeze({
      v3,
      v4,
      v5: v5?.[0] ?? null,
      title,
      titleV5: v5?.[2] ?? null,
      level,
      levelV5: v5?.[3] ?? null,
      assessment: {
        '3.0.0': prowler3 && steampipe3 ? { prowler: prowler3, steampipe: steampipe3 } : null,
        '4.0.1': v4auto,
        '5.0.0': v5 ? { prowler: v5[4], steampipe: v5[5] } : null,
      },
      check,
    });
  }),
);

/** The CIS references of a check: its control id in v3.0.0, v4.0.1 and v5.0.0 (all given, so a renumbering is visible). */
export function cisReferences(checkId: string): Reference[] {
  const control = CIS_AWS_CONTROLS.find((row) => row.check === checkId);
  if (!control) throw new Error(`${checkId} is not in the CIS AWS catalog`);
  return [
    ...(control.v3 ? [{ framework: 'cis-aws', version: '3.0.0', control: control.v3, title: control.title }] : []),
    ...(control.v4 ? [{ framework: 'cis-aws', version: '4.0.1', control: control.v4, title: control.title }] : []),
    ...(control.v5 ? [{ framework: 'cis-aws', version: '5.0.0', control: control.v5, title: control.titleV5 ?? control.title }] : []),
  ];
}
