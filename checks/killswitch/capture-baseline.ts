import type { AnyCheck, CheckContext, JsonValue } from '../../src/check-api/types.js';
import type { Logger } from '../../src/log.js';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import type { CloudTrailRegionState } from '../cloud/aws/collect/cloudtrail.js';
import type { ConfigRegionState } from '../cloud/aws/collect/config.js';
import type { GuardDutyDetectorState, GuardDutySuppressionState } from '../cloud/aws/collect/guardduty.js';
import type { RegionalInventory } from '../cloud/aws/collect/scopes.js';
import type { SecurityHubRegionState } from '../cloud/aws/collect/securityhub.js';
import type { SccParentServices } from '../gcp/collect/scc-services.js';
import type { SccSilencingState } from '../gcp/collect/scc-silencing.js';

type Baseline = { [key: string]: JsonValue };

/**
 * Derives a baseline from the state as it is now, for an admin to review and approve into the job's options
 * (`audit killswitch baseline <job>`). The config file, reviewed like code, is where an approved baseline lives; this
 * only saves typing it. Regional settings are taken where every region agrees, so one drifted region cannot widen or
 * narrow the baseline unnoticed: a feature enabled in only some regions is left out and shows up as a difference.
 */
const CAPTURE: Record<string, (data: any) => Baseline> = {
  'killswitch.guardduty-enabled': ({ detectors }: { detectors: RegionalInventory<GuardDutyDetectorState> }) => {
    const present = detectors.regions.filter((r) => r.data.detectorId !== null && r.data.status === 'ENABLED');
    const enabledEverywhere = (name: string) => present.every((r) => r.data.features.some((f) => f.name === name && f.status === 'ENABLED'));
    const names = [...new Set(present.flatMap((r) => r.data.features.map((f) => f.name)))].filter(enabledEverywhere).sort();
    const frequencies = present.map((r) => r.data.findingPublishingFrequency).filter((f): f is string => f !== null);
    return {
      findingPublishingFrequency: mostCommon(frequencies) ?? 'FIFTEEN_MINUTES',
      features: names.map((name) => ({ name })),
    };
  },
  'killswitch.guardduty-blinding': ({ suppression }: { suppression: RegionalInventory<GuardDutySuppressionState> }) => ({
    trustedIpSets: [...new Set(suppression.regions.flatMap((r) => r.data.ipSets.filter((s) => s.status === 'ACTIVE').map((s) => s.name)))].sort(),
    archiveFilters: [...new Set(suppression.regions.flatMap((r) => r.data.filters.filter((f) => f.action === 'ARCHIVE').map((f) => f.name)))].sort(),
  }),
  'killswitch.cloudtrail-logging': ({ cloudtrail }: { cloudtrail: RegionalInventory<CloudTrailRegionState> }) => {
    const trails = new Map<string, { trail: CloudTrailRegionState['trails'][number]; accounts: string[] }>();
    for (const region of cloudtrail.regions) {
      for (const trail of region.data.trails.filter((t) => t.logging)) {
        const key = `${trail.name}\0${trail.homeRegion}`;
        const entry = trails.get(key) ?? { trail, accounts: [] };
        entry.accounts.push(region.account);
        trails.set(key, entry);
      }
    }
    return {
      trails: [...trails.values()].map(({ trail, accounts }) => ({
        name: trail.name,
        homeRegion: trail.homeRegion,
        accounts: [...accounts].sort(),
        s3BucketName: trail.s3BucketName ?? '',
        isMultiRegionTrail: trail.isMultiRegionTrail,
        isOrganizationTrail: trail.isOrganizationTrail,
        includeGlobalServiceEvents: trail.includeGlobalServiceEvents,
        eventSelectors: (trail.eventSelectors ?? []).map((s) => ({ readWriteType: s.readWriteType, includeManagementEvents: s.includeManagementEvents, excludeManagementEventSources: [...s.excludeManagementEventSources] })),
        recreate: false,
      })),
    };
  },
  'killswitch.config-recorder': ({ config }: { config: RegionalInventory<ConfigRegionState> }) => {
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
  'killswitch.securityhub-enabled': ({ securityhub }: { securityhub: RegionalInventory<SecurityHubRegionState> }) => {
    const enabled = securityhub.regions.filter((r) => r.data.enabled);
    const templates = (r: (typeof enabled)[number]) => new Set(r.data.standards.map((s) => s.arn.replace(`:${r.region}::`, ':{region}::')));
    const everywhere = enabled.length ? [...templates(enabled[0]!)].filter((t) => enabled.every((r) => templates(r).has(t))) : [];
    return { standards: everywhere.sort() };
  },
  'killswitch.scc-enabled': ({ scc }: { scc: { parents: SccParentServices[] } }) => ({
    services: [...new Set(scc.parents.flatMap((p) => p.services.filter((s) => s.effective === 'ENABLED').map((s) => s.service)))].sort(),
  }),
  'killswitch.scc-silencing': ({ silencing }: { silencing: SccSilencingState | null }) => ({
    muteConfigs: (silencing?.muteConfigs ?? []).map((m) => m.id),
    notificationConfigs: (silencing?.notificationConfigs ?? []).map((c) => ({ id: c.id, pubsubTopic: c.pubsubTopic, filter: c.filter })),
  }),
};

export function canCaptureBaseline(checkId: string): boolean {
  return checkId in CAPTURE;
}

/** Runs the check's collectors once and derives the baseline; a scope that could not be read makes this refuse. */
export async function captureBaseline(check: AnyCheck, ctx: CheckContext<unknown>): Promise<Baseline> {
  const capture = CAPTURE[check.id];
  if (!capture) throw new InvalidConfigError(`${check.id} has no baseline to capture (kill-switch checks only)`);
  const data: Record<string, unknown> = {};
  for (const [name, collector] of Object.entries(check.needs)) {
    const collected = await collector(ctx);
    if (collected.coverage.failed.length > 0) {
      const first = collected.coverage.failed[0]!;
      throw new Error(`cannot capture a baseline from a partial view: ${first.scope}: ${first.error.message} (${collected.coverage.failed.length} scope(s) not read)`);
    }
    data[name] = collected.data;
  }
  return capture(data);
}

/**
 * Captures for a job: its options are validated as the check would (the baseline itself is ignored, mode forced to
 * detect), so a typo fails here with the key path, before any cloud call.
 */
export async function captureBaselineForJob(check: AnyCheck, rawOptions: Record<string, unknown>, services: Readonly<Record<string, unknown>>, log: Logger, signal = new AbortController().signal): Promise<Baseline> {
  const { baseline: _ignored, ...rest } = rawOptions;
  const parsed = check.options.safeParse({ ...rest, mode: 'detect' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidConfigError(`options.${issue.path.join('.')}: ${issue.message}`);
  }
  const staged: Record<string, string> = {};
  const ctx: CheckContext<unknown> = {
    checkId: check.id,
    target: { id: 'baseline-capture' },
    options: parsed.data,
    log,
    signal,
    progress: () => {},
    cursor: { get: (key) => staged[key], set: (key, value) => void (staged[key] = value) },
    clock: { now: () => Date.now() },
    services,
  };
  return captureBaseline(check, ctx);
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
