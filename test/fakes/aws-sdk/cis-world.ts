import { SdkFake, SdkFakeError, page } from './sdk-fake.js';

/** The 17 regions enabled by default in a commercial account, plus opt-in regions an account may or may not enable. */
export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1',
  'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

export interface WorldShape {
  /** Per region: security groups, network ACLs, VPCs, instances, RDS instances, EFS file systems, KMS keys. */
  readonly perRegion: { sg: number; nacl: number; vpc: number; instance: number; rds: number; efs: number; kms: number };
  /** Per account: IAM users, S3 buckets. */
  readonly perAccount: { user: number; bucket: number };
  readonly pageSize: number;
  /** Regions listed as opted in (beyond DEFAULT_REGIONS). */
  readonly optIn?: readonly string[];
}

export const SMALL_WORLD: WorldShape = { perRegion: { sg: 3, nacl: 1, vpc: 1, instance: 2, rds: 1, efs: 1, kms: 2 }, perAccount: { user: 3, bucket: 3 }, pageSize: 2 };

export function resourcesPerAccount(shape: WorldShape, regions = DEFAULT_REGIONS.length + (shape.optIn?.length ?? 0)): number {
  const r = shape.perRegion;
  return regions * (r.sg + r.nacl + r.vpc + r.instance + r.rds + r.efs + r.kms) + shape.perAccount.user + shape.perAccount.bucket;
}

const iso = (daysAgo: number) => new Date(Date.UTC(2026, 10, 1) - daysAgo * 86_400_000);

/**
 * Registers handlers for every operation the CIS collectors make, over synthetic accounts of `shape`. The state is
 * mostly compliant with a few deliberate failures, and the credential report takes one poll (STARTED, then COMPLETE).
 */
export function cisWorld(fake: SdkFake, accounts: readonly string[], shape: WorldShape = SMALL_WORLD): { reportPolls: Map<string, number> } {
  const regions = [...DEFAULT_REGIONS, ...(shape.optIn ?? [])];
  const size = shape.pageSize;
  const reportPolls = new Map<string, number>();
  const ids = (prefix: string, count: number, region: string) => Array.from({ length: count }, (_, i) => `${prefix}-${region}-${String(i).padStart(4, '0')}`);

  fake.on('sts:AssumeRole', (input: { RoleArn: string }) => {
    const target = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(input.RoleArn)?.[1];
    if (!target || !accounts.includes(target)) throw new SdkFakeError('AccessDenied', `not authorized to assume ${input.RoleArn}`, 403);
    return { Credentials: { AccessKeyId: `ASIAFAKE${target}`, SecretAccessKey: 'fake-session-secret', SessionToken: 'fake-session-token', Expiration: new Date(Date.now() + 3_600_000) } };
  });
  fake.on('organizations:ListAccounts', (input: { NextToken?: string }) => {
    const p = page(accounts.map((id) => ({ Id: id, Status: 'ACTIVE' })), input.NextToken, size);
    return { Accounts: p.items, NextToken: p.next };
  });
  fake.on('ec2:DescribeRegions', () => ({
    Regions: [
      ...regions.map((RegionName) => ({ RegionName, OptInStatus: DEFAULT_REGIONS.includes(RegionName) ? 'opt-in-not-required' : 'opted-in' })),
      { RegionName: 'me-south-1', OptInStatus: 'not-opted-in' },
    ],
  }));

  // EC2, per region.
  fake.on('ec2:GetEbsEncryptionByDefault', (_i, { region }) => ({ EbsEncryptionByDefault: region !== 'sa-east-1' }));
  fake.on('ec2:GetInstanceMetadataDefaults', () => ({ AccountLevel: { HttpTokens: 'required' } }));
  fake.on('ec2:DescribeSecurityGroups', (input: { NextToken?: string }, { region }) => {
    const groups = ids('sg', shape.perRegion.sg, region).map((GroupId, i) => ({
      GroupId,
      GroupName: i === 0 ? 'default' : `app-${i}`,
      VpcId: `vpc-${region}-0000`,
      IpPermissions: i === 1 ? [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] : [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }));
    const p = page(groups, input.NextToken, size);
    return { SecurityGroups: p.items, NextToken: p.next };
  });
  fake.on('ec2:DescribeNetworkAcls', (input: { NextToken?: string }, { region }) => {
    const acls = ids('acl', shape.perRegion.nacl, region).map((NetworkAclId) => ({
      NetworkAclId,
      VpcId: `vpc-${region}-0000`,
      Entries: [
        { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      ],
    }));
    const p = page(acls, input.NextToken, size);
    return { NetworkAcls: p.items, NextToken: p.next };
  });
  fake.on('ec2:DescribeVpcs', (input: { NextToken?: string }, { region }) => {
    const p = page(ids('vpc', shape.perRegion.vpc, region).map((VpcId, i) => ({ VpcId, IsDefault: i === 0 })), input.NextToken, size);
    return { Vpcs: p.items, NextToken: p.next };
  });
  fake.on('ec2:DescribeFlowLogs', (input: { NextToken?: string }, { region }) => {
    const p = page(ids('vpc', shape.perRegion.vpc, region).slice(1).map((ResourceId, i) => ({ FlowLogId: `fl-${i}`, ResourceId, FlowLogStatus: 'ACTIVE' })), input.NextToken, size);
    return { FlowLogs: p.items, NextToken: p.next };
  });
  fake.on('ec2:DescribeInstances', (input: { NextToken?: string }, { account, region }) => {
    const instances = ids('i', shape.perRegion.instance, region).map((InstanceId, i) => ({
      InstanceId,
      State: { Name: 'running' },
      MetadataOptions: { HttpTokens: i === 0 ? 'optional' : 'required', HttpEndpoint: 'enabled' },
      IamInstanceProfile: { Arn: `arn:aws:iam::${account}:instance-profile/app` },
    }));
    const p = page(instances, input.NextToken, size);
    return { Reservations: p.items.map((instance) => ({ Instances: [instance] })), NextToken: p.next };
  });

  fake.on('rds:DescribeDBInstances', (input: { Marker?: string }, { account, region }) => {
    const dbs = ids('db', shape.perRegion.rds, region).map((id, i) => ({
      DBInstanceIdentifier: id,
      DBInstanceArn: `arn:aws:rds:${region}:${account}:db:${id}`,
      Engine: 'postgres',
      StorageEncrypted: i !== 0,
      AutoMinorVersionUpgrade: true,
      PubliclyAccessible: false,
      MultiAZ: true,
    }));
    const p = page(dbs, input.Marker, size);
    return { DBInstances: p.items, Marker: p.next };
  });
  fake.on('efs:DescribeFileSystems', (input: { Marker?: string }, { account, region }) => {
    const p = page(ids('fs', shape.perRegion.efs, region).map((id) => ({ FileSystemId: id, FileSystemArn: `arn:aws:elasticfilesystem:${region}:${account}:file-system/${id}`, Encrypted: true })), input.Marker, size);
    return { FileSystems: p.items, NextMarker: p.next };
  });
  fake.on('kms:ListKeys', (input: { Marker?: string }, { account, region }) => {
    const p = page(ids('key', shape.perRegion.kms, region).map((KeyId) => ({ KeyId, KeyArn: `arn:aws:kms:${region}:${account}:key/${KeyId}` })), input.Marker, size);
    return { Keys: p.items, NextMarker: p.next, Truncated: p.next !== undefined };
  });
  fake.on('kms:DescribeKey', (input: { KeyId: string }, { account, region }) => ({
    KeyMetadata: { KeyId: input.KeyId, Arn: `arn:aws:kms:${region}:${account}:key/${input.KeyId}`, KeyManager: input.KeyId.endsWith('0000') ? 'AWS' : 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' },
  }));
  fake.on('kms:GetKeyRotationStatus', (input: { KeyId: string }) => ({ KeyRotationEnabled: !input.KeyId.endsWith('0001') }));
  fake.on('accessanalyzer:ListAnalyzers', (_i, { account, region }) => ({ analyzers: region === 'ap-south-1' ? [] : [{ name: 'account', arn: `arn:aws:access-analyzer:${region}:${account}:analyzer/account`, type: 'ACCOUNT', status: 'ACTIVE' }] }));

  // Logging: one multi-region trail homed in us-east-1, to CloudWatch Logs, with CIS 4.1 and 4.3 alarms.
  const trailArn = (account: string) => `arn:aws:cloudtrail:us-east-1:${account}:trail/org-trail`;
  fake.on('cloudtrail:DescribeTrails', (_i, { account }) => ({
    trailList: [
      {
        Name: 'org-trail',
        TrailARN: trailArn(account),
        HomeRegion: 'us-east-1',
        S3BucketName: `trail-logs-${account}`,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        LogFileValidationEnabled: true,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:trail-logs:*`,
        KmsKeyId: `arn:aws:kms:us-east-1:${account}:key/trail`,
      },
    ],
  }));
  fake.on('cloudtrail:GetTrailStatus', () => ({ IsLogging: true }));
  fake.on('cloudtrail:GetEventSelectors', (_i, { account }) => ({ TrailARN: trailArn(account), EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [], DataResources: [] }] }));
  fake.on('config:DescribeConfigurationRecorders', (_i, { account }) => ({
    ConfigurationRecorders: [{ name: 'default', roleARN: `arn:aws:iam::${account}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } }],
  }));
  fake.on('config:DescribeConfigurationRecorderStatus', () => ({ ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] }));
  fake.on('config:DescribeDeliveryChannels', (_i, { account }) => ({ DeliveryChannels: [{ name: 'default', s3BucketName: `config-${account}` }] }));
  fake.on('securityhub:DescribeHub', (_i, { account, region }) => {
    if (region === 'ca-central-1') throw new SdkFakeError('InvalidAccessException', 'Account is not subscribed to AWS Security Hub', 401);
    return { HubArn: `arn:aws:securityhub:${region}:${account}:hub/default` };
  });
  fake.on('securityhub:GetEnabledStandards', () => ({ StandardsSubscriptions: [] }));
  fake.on('logs:DescribeMetricFilters', (input: { nextToken?: string }, { region }) => {
    const filters =
      region === 'us-east-1'
        ? [
            { filterName: 'unauthorized', logGroupName: 'trail-logs', filterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }', metricTransformations: [{ metricName: 'Unauthorized', metricNamespace: 'CIS' }] },
            { filterName: 'root', logGroupName: 'trail-logs', filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', metricTransformations: [{ metricName: 'Root', metricNamespace: 'CIS' }] },
          ]
        : [];
    const p = page(filters, input.nextToken, size);
    return { metricFilters: p.items, nextToken: p.next };
  });
  fake.on('cloudwatch:DescribeAlarms', (input: { NextToken?: string }, { account, region }) => {
    const alarms = region === 'us-east-1' ? ['Unauthorized', 'Root'].map((MetricName) => ({ AlarmName: MetricName, MetricName, Namespace: 'CIS', ActionsEnabled: true, AlarmActions: [`arn:aws:sns:us-east-1:${account}:alarms`] })) : [];
    const p = page(alarms, input.NextToken, size);
    return { MetricAlarms: p.items, NextToken: p.next };
  });
  fake.on('sns:ListSubscriptions', (_i, { account, region }) => ({
    Subscriptions: region === 'us-east-1' ? [{ TopicArn: `arn:aws:sns:us-east-1:${account}:alarms`, Protocol: 'email', SubscriptionArn: `arn:aws:sns:us-east-1:${account}:alarms:1` }] : [],
  }));

  // IAM, once per account.
  const users = (count: number) => Array.from({ length: count }, (_, i) => `user${String(i).padStart(4, '0')}`);
  fake.on('iam:GetAccountSummary', () => ({ SummaryMap: { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 } }));
  fake.on('iam:GetAccountPasswordPolicy', () => ({ PasswordPolicy: { MinimumPasswordLength: 14, PasswordReusePrevention: 24 } }));
  fake.on('iam:GenerateCredentialReport', (_i, { account }) => {
    const polls = (reportPolls.get(account) ?? 0) + 1;
    reportPolls.set(account, polls);
    return polls === 1 ? { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' } : { State: 'COMPLETE' };
  });
  fake.on('iam:GetCredentialReport', (_i, { account }) => {
    if ((reportPolls.get(account) ?? 0) < 2) throw new SdkFakeError('ReportInProgress', 'Report generation in progress', 404);
    const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const root = `<root_account>,arn:aws:iam::${account}:root,${iso(900).toISOString()},not_supported,${iso(300).toISOString()},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
    const rows = users(shape.perAccount.user).map(
      (name, i) =>
        `${name},arn:aws:iam::${account}:user/${name},${iso(400).toISOString()},true,${iso(i === 0 ? 80 : 3).toISOString()},${iso(60).toISOString()},N/A,${i === 1 ? 'false' : 'true'},true,${iso(i === 2 ? 200 : 20).toISOString()},${iso(1).toISOString()},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    );
    return { Content: new TextEncoder().encode([header, root, ...rows].join('\n')), ReportFormat: 'text/csv', GeneratedTime: iso(0) };
  });
  fake.on('iam:GetAccountAuthorizationDetails', (input: { Marker?: string }, { account }) => {
    const entries = users(shape.perAccount.user).map((UserName, i) => ({ kind: 'user' as const, UserName, i }));
    const p = page(entries, input.Marker, Math.max(size, 100));
    const admin = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    return {
      UserDetailList: p.items.map(({ UserName, i }) => ({ UserName, Arn: `arn:aws:iam::${account}:user/${UserName}`, AttachedManagedPolicies: i === 0 ? [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] : [], UserPolicyList: [] })),
      GroupDetailList: [],
      RoleDetailList: input.Marker ? [] : [{ RoleName: 'support', Arn: `arn:aws:iam::${account}:role/support`, AttachedManagedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }], RolePolicyList: [] }],
      Policies: input.Marker ? [] : [{ PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', AttachmentCount: 1, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: admin }] }],
      IsTruncated: p.next !== undefined,
      Marker: p.next,
    };
  });
  fake.on('iam:ListVirtualMFADevices', () => ({ VirtualMFADevices: [], IsTruncated: false }));
  fake.on('iam:ListServerCertificates', () => ({ ServerCertificateMetadataList: [], IsTruncated: false }));

  // S3: buckets spread over regions; ListBuckets gives each bucket's region.
  const buckets = (account: string) => [`trail-logs-${account}`, ...Array.from({ length: shape.perAccount.bucket - 1 }, (_, i) => `data-${account}-${i}`)];
  fake.on('s3control:GetPublicAccessBlock', () => {
    throw new SdkFakeError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
  });
  fake.on('s3:ListBuckets', (input: { ContinuationToken?: string }, { account }) => {
    const p = page(buckets(account).map((Name, i) => ({ Name, BucketRegion: regions[i % regions.length] })), input.ContinuationToken, size);
    return { Buckets: p.items, ContinuationToken: p.next };
  });
  fake.on('s3:GetBucketPolicy', (input: { Bucket: string }) => {
    if (input.Bucket.endsWith('-1')) throw new SdkFakeError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
    return { Policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) };
  });
  fake.on('s3:GetBucketVersioning', () => ({ Status: 'Enabled' }));
  fake.on('s3:GetPublicAccessBlock', () => ({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  fake.on('s3:GetBucketLogging', (input: { Bucket: string }) => (input.Bucket.startsWith('trail-logs') ? { LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'trail/' } } : {}));
  return { reportPolls };
}
