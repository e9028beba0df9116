import type { Collected } from '../../../../src/check-api/types.js';
import type { CredentialRow, IamAccountState } from '../../../../checks/cloud/aws/collect/iam.js';
import type { S3AccountState, BucketState } from '../../../../checks/cloud/aws/collect/s3.js';
import type { Ec2RegionState } from '../../../../checks/cloud/aws/collect/ec2.js';
import type { PartialCase } from '../../../support/check-tester.js';

/**
 * Inventories as the CIS collectors return them, compliant by default, so each test states only what it breaks. The
 * recorded inventory under test/fixtures/inventories/aws/ is produced by the real collectors (see collect tests).
 */
export const A = '111111111111';
export const B = '222222222222';
export const REGIONS = ['eu-west-1', 'us-east-1'] as const;
export const OPTIONS = { accounts: [{ id: A }] };
export const REPORT_TIME = '2026-11-01T00:00:00.000Z';
export const daysBefore = (days: number) => new Date(Date.parse(REPORT_TIME) - days * 86_400_000).toISOString();

export const regionScopeOf = (account: string, region: string) => `aws:${account}/${region}`;
export const globalScopeOf = (account: string) => `aws:${account}/global`;
export const allRegionsOf = (account: string) => `aws:${account}/all-regions`;

/** A regional inventory: `data(region)` for every read region; `unread` regions are listed but absent (unknown). */
export function regional<T>(data: (region: string, account: string) => T, options: { account?: string; regions?: readonly string[]; unread?: readonly string[] } = {}) {
  const account = options.account ?? A;
  const regions = options.regions ?? REGIONS;
  const unread = new Set(options.unread ?? []);
  return {
    regions: regions.filter((r) => !unread.has(r)).map((region) => ({ account, region, scope: regionScopeOf(account, region), data: data(region, account) })),
    listed: [{ account, regions: [...regions] }],
  };
}

export function global<T>(data: T, account = A) {
  return { accounts: [{ account, scope: globalScopeOf(account), data }], listed: [account] };
}

/** A partial case: the first collector in `needs` could read nothing in `scope` (AccessDenied), so the run is partial. */
export function deniedCase(name: string, needs: readonly string[], empty: Record<string, unknown>, scope: string): PartialCase {
  const collected: Record<string, Collected<unknown>> = {};
  // The first need is the collector that was refused; the others read fine (and saw nothing).
  needs.forEach((need, index) => {
    collected[need] =
      index === 0
        ? { data: empty[need], coverage: { ok: [], failed: [{ scope, error: { name: 'CollectorAccessDenied', message: 'read: AccessDenied: not authorized' } }] } }
        : { data: empty[need], coverage: { ok: [scope], failed: [] } };
  });
  return { name, options: OPTIONS, collected, failedScopes: [scope] };
}

export const emptyRegional = { regions: [], listed: [{ account: A, regions: [...REGIONS] }] };
export const emptyGlobal = { accounts: [], listed: [A] };

export function credentialRow(user: string, overrides: Partial<CredentialRow> = {}): CredentialRow {
  return {
    user,
    arn: user === '<root_account>' ? `arn:aws:iam::${A}:root` : `arn:aws:iam::${A}:user/${user}`,
    userCreationTime: daysBefore(400),
    passwordEnabled: user === '<root_account>' ? null : true,
    passwordLastUsed: daysBefore(2),
    passwordLastChanged: daysBefore(30),
    mfaActive: true,
    accessKeys: [
      { slot: 1, active: false, lastRotated: null, lastUsed: null },
      { slot: 2, active: false, lastRotated: null, lastUsed: null },
    ],
    ...overrides,
  };
}

export function iamAccount(overrides: Partial<IamAccountState> = {}): IamAccountState {
  return {
    summary: { accountAccessKeysPresent: 0, accountMfaEnabled: 1 },
    passwordPolicy: { minimumPasswordLength: 14, passwordReusePrevention: 24 },
    credentialReport: [credentialRow('<root_account>', { passwordLastUsed: daysBefore(200), mfaActive: true }), credentialRow('alice')],
    users: [{ name: 'alice', arn: `arn:aws:iam::${A}:user/alice`, attachedPolicyArns: [], inlinePolicyNames: [] }],
    roles: [{ name: 'support', arn: `arn:aws:iam::${A}:role/support`, attachedPolicyArns: ['arn:aws:iam::aws:policy/AWSSupportAccess'] }],
    policies: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', attachmentCount: 1, statements: [{ effect: 'Allow', actions: ['s3:Get*'], resources: ['*'], notAction: false, condition: false }] }],
    inlinePolicies: [],
    virtualMfaDevices: [],
    reportGeneratedAt: REPORT_TIME,
    serverCertificates: [],
    ...overrides,
  };
}

const TLS_ONLY = (bucket: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });

export const FULL_BLOCK = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

export function bucket(name: string, overrides: Partial<BucketState> = {}): BucketState {
  return { name, region: 'eu-west-1', policy: TLS_ONLY(name), versioning: 'Enabled', mfaDelete: 'Enabled', publicAccessBlock: FULL_BLOCK, loggingTargetBucket: 'access-logs', ...overrides };
}

export function s3Account(overrides: Partial<S3AccountState> = {}): S3AccountState {
  return { accountPublicAccessBlock: FULL_BLOCK, buckets: [bucket('trail-logs'), bucket('data')], readErrors: [], ...overrides };
}

export function ec2Region(overrides: Partial<Ec2RegionState> = {}): Ec2RegionState {
  return {
    ebsEncryptionByDefault: true,
    securityGroups: [
      { id: 'sg-default', name: 'default', vpcId: 'vpc-1', ingress: [], egress: [] },
      { id: 'sg-web', name: 'web', vpcId: 'vpc-1', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, ipv4: ['0.0.0.0/0'], ipv6: ['::/0'], peers: [] }], egress: [{ protocol: '-1', fromPort: null, toPort: null, ipv4: ['0.0.0.0/0'], ipv6: [], peers: [] }] },
    ],
    networkAcls: [
      {
        id: 'acl-1',
        vpcId: 'vpc-1',
        entries: [
          { ruleNumber: 100, egress: false, action: 'allow', protocol: '6', cidr: '0.0.0.0/0', fromPort: 443, toPort: 443 },
          { ruleNumber: 32767, egress: false, action: 'deny', protocol: '-1', cidr: '0.0.0.0/0', fromPort: null, toPort: null },
        ],
      },
    ],
    vpcs: [{ id: 'vpc-1', isDefault: true }],
    flowLogs: [{ id: 'fl-1', resourceId: 'vpc-1', status: 'ACTIVE' }],
    instances: [{ id: 'i-1', state: 'running', httpTokens: 'required', httpEndpoint: 'enabled', instanceProfileArn: `arn:aws:iam::${A}:instance-profile/app` }],
    metadataDefaultHttpTokens: 'required',
    ...overrides,
  };
}

export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${A}:trail/org-trail`;
export const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${A}:log-group:trail-logs:*`;
export const TOPIC_ARN = `arn:aws:sns:us-east-1:${A}:security-alarms`;

export function trail(overrides: Record<string, unknown> = {}) {
  return {
    name: 'org-trail',
    arn: TRAIL_ARN,
    homeRegion: 'us-east-1',
    s3BucketName: 'trail-logs',
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    includeGlobalServiceEvents: true,
    s3KeyPrefix: null,
    snsTopicArn: null,
    logFileValidationEnabled: true,
    cloudWatchLogsLogGroupArn: LOG_GROUP_ARN,
    cloudWatchLogsRoleArn: `arn:aws:iam::${A}:role/trail-to-logs`,
    kmsKeyId: `arn:aws:kms:us-east-1:${A}:key/k1`,
    logging: true,
    stopLoggingTime: null,
    latestDeliveryError: null,
    latestDeliveryTime: null,
    deliveryLagSeconds: null,
    eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }],
    advancedEventSelectors: null,
    ...overrides,
  };
}

/** The multi-region trail lives in us-east-1; eu-west-1 only sees its shadow. */
export function cloudTrailInventory(trailOverrides: Record<string, unknown> = {}, options: { unread?: readonly string[]; account?: string } = {}) {
  return regional((region) => (region === 'us-east-1' ? { trails: [trail(trailOverrides)], shadows: [] } : { trails: [], shadows: [TRAIL_ARN] }), options);
}
