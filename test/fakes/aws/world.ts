/**
 * The state behind the AWS fake: accounts, their regions (with opt-in status) and, per region, the four defenders the
 * kill switch guards. It encodes the rules the kill switch depends on (one GuardDuty detector per region, a suspended
 * detector keeps its findings, a deleted one loses them, an API-created trail does not log until StartLogging), so
 * tests exercise real behaviour rather than whatever the code under test assumes.
 */

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface FakeFeature {
  status: 'ENABLED' | 'DISABLED';
  additional: Map<string, 'ENABLED' | 'DISABLED'>;
}

export interface FakeDetector {
  readonly id: string;
  status: 'ENABLED' | 'DISABLED';
  findingPublishingFrequency: string;
  features: Map<string, FakeFeature>;
  ipSets: Map<string, { name: string; format: string; location: string; status: string }>;
  threatIntelSets: Map<string, { name: string; format: string; location: string; status: string }>;
  /** The newer API for trusted IPs and domains; suppresses findings like an IP set. */
  trustedEntitySets: Map<string, { name: string; format: string; location: string; status: string }>;
  threatEntitySets: Map<string, { name: string; format: string; location: string; status: string }>;
  filters: Map<string, { action: 'NOOP' | 'ARCHIVE'; rank: number; description: string; criteria: unknown }>;
  publishingDestinations: Map<string, { destinationType: string; destinationArn: string; kmsKeyArn: string }>;
  /** Set on the organization's GuardDuty administrator: its members in this region. */
  members: Map<string, { email: string; relationshipStatus: string }>;
  organizationConfiguration: { autoEnableOrganizationMembers: string; features: Map<string, string> };
  /** Finding ids; survive a suspend, lost with the detector. */
  findings: string[];
}

export interface FakeTrail {
  readonly name: string;
  readonly homeRegion: string;
  s3BucketName: string;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logging: boolean;
  stopLoggingTime?: Date;
  startLoggingTime?: Date;
  logFileValidationEnabled: boolean;
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  latestDeliveryError?: string;
  latestDeliveryTime?: Date;
  eventSelectors: { ReadWriteType: string; IncludeManagementEvents: boolean; ExcludeManagementEventSources: string[] }[];
  advancedEventSelectors?: unknown[];
}

export interface FakeRecorder {
  name: string;
  roleARN: string;
  recordingGroup: { allSupported: boolean; includeGlobalResourceTypes: boolean; resourceTypes: string[] };
}

export interface FakeChannel {
  name: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicARN?: string;
}

export interface FakeRegion {
  optIn: OptInStatus;
  detector?: FakeDetector;
  recorder?: FakeRecorder;
  recording: boolean;
  channel?: FakeChannel;
  hub?: { enabledAt: Date; standards: Map<string, string> };
}

export interface FakeAccount {
  readonly id: string;
  readonly regions: Map<string, FakeRegion>;
  /** Trails by name; a multi-region trail shows in every region as a shadow of its home region's copy. */
  readonly trails: Map<string, FakeTrail>;
}

/** The 17 regions enabled by default in the aws partition, plus opt-in ones for attacks. */
export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1',
  'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2',
] as const;
export const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1'] as const;

export const BASELINE_FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];

let sequence = 0;
function nextId(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence.toString(16).padStart(8, '0')}${'0'.repeat(24)}`.slice(0, prefix.length + 32);
}

export class FakeAwsWorld {
  readonly accounts = new Map<string, FakeAccount>();
  /** The account that owns the organization: only it may StartLogging an organization trail. */
  managementAccount: string | undefined;
  /** The organization's GuardDuty delegated administrator, if one was made (see makeGuardDutyAdmin). */
  guardDutyAdmin: string | undefined;

  addAccount(id: string, options: { regions?: readonly string[]; optInRegions?: readonly string[] } = {}): FakeAccount {
    const regions = new Map<string, FakeRegion>();
    for (const region of options.regions ?? DEFAULT_REGIONS) regions.set(region, { optIn: 'opt-in-not-required', recording: false });
    for (const region of options.optInRegions ?? OPT_IN_REGIONS) regions.set(region, { optIn: 'not-opted-in', recording: false });
    const account: FakeAccount = { id, regions, trails: new Map() };
    this.accounts.set(id, account);
    this.managementAccount ??= id;
    return account;
  }

  account(id: string): FakeAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`fake: no account ${id}`);
    return account;
  }

  region(accountId: string, region: string): FakeRegion {
    const state = this.account(accountId).regions.get(region);
    if (!state) throw new Error(`fake: no region ${region} in ${accountId}`);
    return state;
  }

  enabledRegions(accountId: string): string[] {
    return [...this.account(accountId).regions].filter(([, r]) => r.optIn !== 'not-opted-in').map(([name]) => name).sort();
  }

  /** Puts every defender in the healthy baseline state in every enabled region (what an admin set up). */
  protect(accountId: string, baseline: { bucket: string; roleArn: string; trailName: string; standards: readonly string[] }): void {
    const account = this.account(accountId);
    for (const region of this.enabledRegions(accountId)) this.protectRegion(accountId, region, baseline);
    const home = 'us-east-1';
    account.trails.set(baseline.trailName, {
      name: baseline.trailName,
      homeRegion: home,
      s3BucketName: baseline.bucket,
      isMultiRegionTrail: true,
      isOrganizationTrail: false,
      includeGlobalServiceEvents: true,
      logging: true,
      startLoggingTime: new Date(),
      logFileValidationEnabled: true,
      latestDeliveryTime: new Date(),
      eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [] }],
    });
  }

  protectRegion(accountId: string, region: string, baseline: { bucket: string; roleArn: string; standards: readonly string[] }): void {
    const state = this.region(accountId, region);
    state.detector = newDetector('FIFTEEN_MINUTES', new Map(BASELINE_FEATURES.map((name) => [name, { status: 'ENABLED' as const, additional: new Map() }])));
    state.detector.findings.push(nextId('f'));
    state.recorder = { name: 'default', roleARN: baseline.roleArn, recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === 'us-east-1', resourceTypes: [] } };
    state.channel = { name: 'default', s3BucketName: baseline.bucket };
    state.recording = true;
    state.hub = { enabledAt: new Date(), standards: new Map(baseline.standards.map((arn) => [standardArn(arn, region), 'READY'])) };
  }

  // Attacks, as a stolen key would do them.
  suspendDetector(accountId: string, region: string): void {
    const detector = this.region(accountId, region).detector;
    if (!detector) throw new Error(`fake: no detector in ${accountId}/${region}`);
    detector.status = 'DISABLED';
  }
  deleteDetector(accountId: string, region: string): void {
    delete this.region(accountId, region).detector;
  }
  stopLogging(accountId: string, trailName: string): void {
    const trail = this.account(accountId).trails.get(trailName);
    if (!trail) throw new Error(`fake: no trail ${trailName}`);
    trail.logging = false;
    trail.stopLoggingTime = new Date();
  }
  stopRecorder(accountId: string, region: string): void {
    this.region(accountId, region).recording = false;
  }
  disableSecurityHub(accountId: string, region: string): void {
    delete this.region(accountId, region).hub;
  }
  /**
   * Makes `admin` the organization's GuardDuty delegated administrator: in every region it has a detector in, every
   * other account with a detector there becomes an Enabled member, and new members are auto-enabled (ALL).
   */
  makeGuardDutyAdmin(admin: string): void {
    this.guardDutyAdmin = admin;
    for (const region of this.enabledRegions(admin)) {
      const detector = this.region(admin, region).detector;
      if (!detector) continue;
      detector.organizationConfiguration = { autoEnableOrganizationMembers: 'ALL', features: new Map(BASELINE_FEATURES.map((name) => [name, 'ALL'])) };
      for (const id of this.accounts.keys()) {
        if (id !== admin && this.accounts.get(id)!.regions.get(region)?.detector) detector.members.set(id, { email: `aws+${id}@example.com`, relationshipStatus: 'Enabled' });
      }
    }
  }
  /** An opt-in region turned on by the attacker: nothing guards it yet. */
  optIn(accountId: string, region: string): void {
    this.region(accountId, region).optIn = 'opted-in';
  }
}

export function newDetector(frequency: string, features: Map<string, FakeFeature>): FakeDetector {
  return {
    id: nextId(''),
    status: 'ENABLED',
    findingPublishingFrequency: frequency,
    features,
    ipSets: new Map(),
    threatIntelSets: new Map(),
    trustedEntitySets: new Map(),
    threatEntitySets: new Map(),
    filters: new Map(),
    publishingDestinations: new Map(),
    members: new Map(),
    organizationConfiguration: { autoEnableOrganizationMembers: 'NONE', features: new Map() },
    findings: [],
  };
}

export function freshId(): string {
  return nextId('');
}

/** Baseline standards are written with `{region}` where the ARN names one (CIS 1.2 has none). */
export function standardArn(template: string, region: string): string {
  return template.replaceAll('{region}', region);
}
