import type { AnyCheck, CheckContext, Collector, JsonValue } from '../../src/check-api/types.js';
import { lazyCollector } from '../../src/check-api/lazy.js';
import type { Logger } from '../../src/log.js';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import { canonicalJson } from '../../src/store/canonical-json.js';
import type { CloudTrailRegionState, TrailState } from '../cloud/aws/collect/cloudtrail.js';
import type { ConfigRegionState } from '../cloud/aws/collect/config.js';
import type { GuardDutyDetectorState, GuardDutySuppressionState } from '../cloud/aws/collect/guardduty.js';
import type { GuardDutyMembersInventory } from '../cloud/aws/collect/guardduty-members.js';
import type { RegionalInventory, RegionRead } from '../cloud/aws/collect/scopes.js';
import type { SecurityHubRegionState } from '../cloud/aws/collect/securityhub.js';
import type { SccParentServices } from '../gcp/collect/scc-services.js';
import type { SccSilencingState } from '../gcp/collect/scc-silencing.js';
import { BASELINE_SCHEMAS, CHECK_BASELINE_KIND, type BaselineKind } from './baselines.js';

type Baseline = { [key: string]: JsonValue };

// The SDK-backed collectors load on first capture only.
const collectors = {
  detectors: lazyCollector(() => import('../cloud/aws/collect/guardduty.js').then((m) => m.collectGuardDutyDetectors)),
  suppression: lazyCollector(() => import('../cloud/aws/collect/guardduty.js').then((m) => m.collectGuardDutySuppression)),
  members: lazyCollector(() => import('../cloud/aws/collect/guardduty-members.js').then((m) => m.collectGuardDutyMembers)),
  cloudtrail: lazyCollector(() => import('../cloud/aws/collect/cloudtrail.js').then((m) => m.collectCloudTrail)),
  config: lazyCollector(() => import('../cloud/aws/collect/config.js').then((m) => m.collectConfigRecorders)),
  securityhub: lazyCollector(() => import('../cloud/aws/collect/securityhub.js').then((m) => m.collectSecurityHub)),
  scc: lazyCollector(() => import('../gcp/collect/scc-services.js').then((m) => m.collectSccServices)),
  silencing: lazyCollector(() => import('../gcp/collect/scc-silencing.js').then((m) => m.collectSccSilencing)),
};

/** Replaces the account id and region in a value with `{account}` / `{region}`, so per-region copies compare equal. */
function template(value: string, account: string, region: string): string {
  return value.replaceAll(account, '{account}').replaceAll(region, '{region}');
}

/** The one value every region agrees on once templated, or undefined when they differ (left out, shows as drift). */
function agreed<T>(regions: readonly RegionRead<unknown>[], pick: (region: RegionRead<any>) => T | undefined): T | undefined {
  let first: string | undefined;
  let value: T | undefined;
  for (const region of regions) {
    const picked = pick(region);
    if (picked === undefined) return undefined;
    const text = template(canonicalJson(picked as JsonValue), region.account, region.region);
    if (first === undefined) [first, value] = [text, JSON.parse(text) as T];
    else if (text !== first) return undefined;
  }
  return value;
}

/**
 * Derives a baseline from the state as it is now, for an admin to review and approve (`audit killswitch baseline <job>
 * --approve` stores it in the ledger with its history; printing it lets it go into the config instead). Regional
 * settings are taken where every region agrees, so one drifted region cannot widen or narrow the baseline unnoticed: a
 * feature, IP set or filter present in only some regions is left out and shows up as a difference.
 */
const CAPTURE: { [K in BaselineKind]: { needs: Record<string, Collector<any, any>>; derive: (data: any) => Baseline } } = {
  guardduty: {
    needs: { detectors: collectors.detectors, suppression: collectors.suppression },
    derive: ({ detectors, suppression }: { detectors: RegionalInventory<GuardDutyDetectorState>; suppression: RegionalInventory<GuardDutySuppressionState> }) => {
      const present = detectors.regions.filter((r) => r.data.detectorId !== null && r.data.status === 'ENABLED');
      const enabledEverywhere = (name: string) => present.every((r) => r.data.features.some((f) => f.name === name && f.status === 'ENABLED'));
      const names = [...new Set(present.flatMap((r) => r.data.features.map((f) => f.name)))].filter(enabledEverywhere).sort();
      const frequencies = present.map((r) => r.data.findingPublishingFrequency).filter((f): f is string => f !== null);
      const live = suppression.regions.filter((r) => r.data.detectorId !== null);
      const namesOf = (pick: (s: GuardDutySuppressionState) => readonly { name: string }[]) => [...new Set(live.flatMap((r) => pick(r.data).map((i) => i.name)))].sort();
      const trustedIpSets = namesOf((s) => s.ipSets.filter((i) => i.status === 'ACTIVE')).flatMap((name) => {
        const set = agreed(live, (r) => {
          const found = (r.data as GuardDutySuppressionState).ipSets.find((i) => i.name === name && i.status === 'ACTIVE');
          return found && { name, format: found.format, location: found.location };
        });
        // Active in some regions only: approved by name where it is, so it is not reported there as an attack.
        return [set ?? name];
      });
      const threatIntelSets = namesOf((s) => s.threatIntelSets.filter((i) => i.status === 'ACTIVE')).flatMap((name) => {
        const set = agreed(live, (r) => {
          const found = (r.data as GuardDutySuppressionState).threatIntelSets.find((i) => i.name === name && i.status === 'ACTIVE');
          return found && { name, format: found.format, location: found.location, api: found.api ?? 'threatintelset' };
        });
        return set ? [set] : [];
      });
      const filters = namesOf((s) => s.filters).flatMap((name) => {
        const filter = agreed(live, (r) => {
          const found = (r.data as GuardDutySuppressionState).filters.find((f) => f.name === name);
          return found && { name, action: found.action, ...(found.rank !== null ? { rank: found.rank } : {}), description: found.description, findingCriteria: found.findingCriteria };
        });
        return filter ? [filter] : [];
      });
      const destinations = agreed(live, (r) =>
        (r.data as GuardDutySuppressionState).publishingDestinations.filter((d) => d.destinationArn && d.kmsKeyArn).map((d) => ({ destinationType: 'S3', destinationArn: d.destinationArn!, kmsKeyArn: d.kmsKeyArn! })),
      );
      return {
        findingPublishingFrequency: mostCommon(frequencies) ?? 'FIFTEEN_MINUTES',
        features: names.map((name) => ({ name })),
        trustedIpSets,
        threatIntelSets,
        filters,
        publishingDestinations: destinations ?? [],
      } as Baseline;
    },
  },
  'guardduty-members': {
    needs: { members: collectors.members },
    derive: ({ members }: { members: GuardDutyMembersInventory }) => {
      const regions = members.regions.filter((r) => r.data.detectorId !== null);
      const admins = new Set(members.regions.map((r) => r.account));
      const enabledSomewhere = new Set(regions.flatMap((r) => r.data.members.filter((m) => m.relationshipStatus === 'Enabled').map((m) => m.accountId)));
      const monitored = regions.flatMap((r) => r.data.members.filter((m) => m.relationshipStatus === 'Enabled' && m.features));
      const featureNames = [...new Set(monitored.flatMap((m) => m.features!.map((f) => f.name)))].filter((name) => monitored.every((m) => m.features!.some((f) => f.name === name && f.status === 'ENABLED')));
      const orgFeatures = [...new Set(regions.flatMap((r) => r.data.organizationFeatures.map((f) => f.name)))].flatMap((name) => {
        const autoEnable = agreed(regions, (r) => (r.data.organizationFeatures as { name: string; autoEnable: string }[]).find((f) => f.name === name)?.autoEnable);
        return autoEnable ? [{ name, autoEnable }] : [];
      });
      return {
        autoEnableOrganizationMembers: mostCommon(regions.map((r) => r.data.autoEnableOrganizationMembers).filter((v): v is string => v !== null)) ?? 'ALL',
        organizationFeatures: orgFeatures.sort((a, b) => a.name.localeCompare(b.name)),
        memberFeatures: featureNames.sort().map((name) => ({ name })),
        excludeAccounts: Object.keys(members.organizationAccounts ?? {}).filter((id) => !admins.has(id) && !enabledSomewhere.has(id)).sort(),
      };
    },
  },
  cloudtrail: {
    needs: { cloudtrail: collectors.cloudtrail },
    derive: ({ cloudtrail }: { cloudtrail: RegionalInventory<CloudTrailRegionState> }) => {
      // Trails of several accounts share one baseline entry when their settings agree once `{account}` is filled in.
      const entries = new Map<string, { trail: Baseline; accounts: string[] }>();
      for (const region of cloudtrail.regions) {
        for (const trail of region.data.trails.filter((t) => t.logging)) {
          const settings = trailSettings(trail, region.account);
          const key = canonicalJson(settings);
          const entry = entries.get(key) ?? { trail: settings, accounts: [] };
          entry.accounts.push(region.account);
          entries.set(key, entry);
        }
      }
      return { trails: [...entries.values()].map(({ trail, accounts }) => ({ ...trail, accounts: [...new Set(accounts)].sort() })) };
    },
  },
  config: {
    needs: { config: collectors.config },
    derive: ({ config }: { config: RegionalInventory<ConfigRegionState> }) => {
      const recording = config.regions.filter((r) => r.data.recorder && r.data.channel && r.data.recording);
      const sample = recording[0];
      if (!sample) return {};
      const global = recording.find((r) => r.data.recorder!.includeGlobalResourceTypes);
      return {
        recorder: {
          name: sample.data.recorder!.name,
          roleARN: (sample.data.recorder!.roleARN ?? '').replace(`::${sample.account}:`, '::{account}:'),
          allSupported: recording.every((r) => r.data.recorder!.allSupported),
          resourceTypes: [],
        },
        deliveryChannel: { name: sample.data.channel!.name, s3BucketName: sample.data.channel!.s3BucketName ?? '' },
        ...(global ? { globalResourceRegion: global.region } : {}),
      };
    },
  },
  securityhub: {
    needs: { securityhub: collectors.securityhub },
    derive: ({ securityhub }: { securityhub: RegionalInventory<SecurityHubRegionState> }) => {
      const enabled = securityhub.regions.filter((r) => r.data.enabled);
      const templates = (r: (typeof enabled)[number]) => new Set(r.data.standards.map((s) => s.arn.replace(`:${r.region}::`, ':{region}::')));
      const everywhere = enabled.length ? [...templates(enabled[0]!)].filter((t) => enabled.every((r) => templates(r).has(t))) : [];
      return { standards: everywhere.sort() };
    },
  },
  scc: {
    needs: { scc: collectors.scc },
    derive: ({ scc }: { scc: { parents: SccParentServices[] } }) => {
      const organizations = scc.parents.filter((p) => p.parent.startsWith('organizations/'));
      const modules: Record<string, Record<string, string>> = {};
      for (const service of [...new Set(organizations.flatMap((p) => p.services.map((s) => s.service)))]) {
        const states = organizations.map((p) => p.services.find((s) => s.service === service)?.modules ?? {});
        const names = [...new Set(states.flatMap((m) => Object.keys(m)))].sort();
        for (const module of names) {
          const values = new Set(states.map((m) => m[module]?.intended));
          const [value] = values;
          if (values.size === 1 && (value === 'ENABLED' || value === 'DISABLED')) (modules[service] ??= {})[module] = value;
        }
      }
      return {
        services: [...new Set(scc.parents.flatMap((p) => p.services.filter((s) => s.effective === 'ENABLED').map((s) => s.service)))].sort(),
        modules,
      };
    },
  },
  'scc-silencing': {
    needs: { silencing: collectors.silencing },
    derive: ({ silencing }: { silencing: SccSilencingState | null }) => ({
      // Organization rules by id, folder/project rules by full name (ids repeat across parents).
      muteConfigs: (silencing?.muteConfigs ?? []).map((m) => (m.parent === silencing!.organization ? m.id : m.name)),
      notificationConfigs: (silencing?.notificationConfigs ?? []).map((c) => ({ id: c.id, pubsubTopic: c.pubsubTopic, filter: c.filter })),
    }),
  },
};

function trailSettings(trail: TrailState, account: string): Baseline {
  const t = (value: string | null) => (value === null ? undefined : value.replaceAll(account, '{account}'));
  const optional = {
    s3KeyPrefix: t(trail.s3KeyPrefix),
    kmsKeyId: t(trail.kmsKeyId),
    cloudWatchLogsLogGroupArn: t(trail.cloudWatchLogsLogGroupArn),
    cloudWatchLogsRoleArn: t(trail.cloudWatchLogsRoleArn),
  };
  return {
    name: trail.name,
    homeRegion: trail.homeRegion,
    s3BucketName: t(trail.s3BucketName) ?? '',
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    isMultiRegionTrail: trail.isMultiRegionTrail,
    isOrganizationTrail: trail.isOrganizationTrail,
    includeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    logFileValidationEnabled: trail.logFileValidationEnabled,
    ...(trail.advancedEventSelectors
      ? { advancedEventSelectors: trail.advancedEventSelectors as JsonValue[] }
      : { eventSelectors: (trail.eventSelectors ?? []).map((s) => ({ readWriteType: s.readWriteType, includeManagementEvents: s.includeManagementEvents, excludeManagementEventSources: [...s.excludeManagementEventSources] })) }),
    recreate: false,
  } as Baseline;
}

export function baselineKindOf(checkId: string): BaselineKind | undefined {
  return CHECK_BASELINE_KIND[checkId];
}

/** Runs the kind's collectors once and derives the baseline; a scope that could not be read makes this refuse. */
export async function captureBaseline(kind: BaselineKind, ctx: CheckContext<unknown>): Promise<Baseline> {
  const capture = CAPTURE[kind];
  const data: Record<string, unknown> = {};
  for (const [name, collector] of Object.entries(capture.needs)) {
    const collected = await collector(ctx);
    if (collected.coverage.failed.length > 0) {
      const first = collected.coverage.failed[0]!;
      throw new Error(`cannot capture a baseline from a partial view: ${first.scope}: ${first.error.message} (${collected.coverage.failed.length} scope(s) not read)`);
    }
    data[name] = collected.data;
  }
  const derived = capture.derive(data);
  // What was captured must be what a run accepts: parse it as the checks will, and store that.
  return JSON.parse(JSON.stringify(BASELINE_SCHEMAS[kind].parse(derived))) as Baseline;
}

/**
 * Captures for a job: its options are validated as the check would (the baseline itself is ignored, mode forced to
 * detect), so a typo fails here with the key path, before any cloud call.
 */
export async function captureBaselineForJob(
  check: AnyCheck,
  rawOptions: Record<string, unknown>,
  services: Readonly<Record<string, unknown>>,
  log: Logger,
  targetId = 'baseline-capture',
  signal = new AbortController().signal,
): Promise<Baseline> {
  const checkId = check.id;
  const kind = baselineKindOf(checkId);
  if (!kind) throw new InvalidConfigError(`${checkId} has no baseline to capture (kill-switch checks only)`);
  const { baseline: _ignored, ...rest } = rawOptions;
  const parsed = check.options.safeParse({ ...rest, mode: 'detect' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidConfigError(`options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const staged: Record<string, string> = {};
  const ctx: CheckContext<unknown> = {
    checkId,
    target: { id: targetId },
    options: parsed.data,
    log,
    signal,
    progress: () => {},
    cursor: { get: (key) => staged[key], set: (key, value) => void (staged[key] = value) },
    clock: { now: () => Date.now() },
    services,
  };
  return captureBaseline(kind, ctx);
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
