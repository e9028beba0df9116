import { z } from 'zod';
import type { TrailEventSelector, TrailState } from '../cloud/aws/collect/cloudtrail.js';
import { awsRegionName } from '../cloud/aws/collect/scope-options.js';
import { canonicalJson } from '../../src/store/canonical-json.js';

const selector = z.strictObject({
  readWriteType: z.enum(['All', 'ReadOnly', 'WriteOnly']).default('All'),
  includeManagementEvents: z.boolean().default(true),
  excludeManagementEventSources: z.array(z.string()).default([]),
});

/** The trails that must exist and log, as an admin approved them. `{account}` in an ARN stands for the trail's account. */
export const cloudTrailBaseline = z.strictObject({
  trails: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        homeRegion: awsRegionName,
        /** Accounts that own this trail; absent means every audited account (an organization trail names the management account). */
        accounts: z.array(z.string().regex(/^\d{12}$/)).optional(),
        s3BucketName: z.string().min(3),
        s3KeyPrefix: z.string().optional(),
        isMultiRegionTrail: z.boolean().default(true),
        isOrganizationTrail: z.boolean().default(false),
        includeGlobalServiceEvents: z.boolean().default(true),
        /** Compared only when given (a captured baseline always gives them). */
        logFileValidationEnabled: z.boolean().optional(),
        kmsKeyId: z.string().min(1).optional(),
        cloudWatchLogsLogGroupArn: z.string().min(1).optional(),
        cloudWatchLogsRoleArn: z.string().min(1).optional(),
        eventSelectors: z.array(selector).default([{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] }]),
        /** Advanced event selectors as GetEventSelectors returns them; when given they replace `eventSelectors`. */
        advancedEventSelectors: z.array(z.record(z.string(), z.any())).optional(),
        /** Re-create the trail if it was deleted. Off by default: a deleted trail is always a critical alert, but a new trail is a deliberate act. */
        recreate: z.boolean().default(false),
        /** Put changed settings (bucket, KMS key, CloudWatch Logs, validation, multi-region) back with UpdateTrail. */
        restoreSettings: z.boolean().default(true),
        /** A logging trail whose last delivery is older than this is reported (detect only); 0 turns it off. */
        maxDeliveryLagMinutes: z.number().int().min(0).default(60),
      }),
    )
    .default([]),
});
export type CloudTrailBaseline = z.output<typeof cloudTrailBaseline>;
export type BaselineTrail = CloudTrailBaseline['trails'][number];

/** Fields UpdateTrail restores, by name in TrailState and the baseline. */
export const TRAIL_SETTINGS = ['s3BucketName', 's3KeyPrefix', 'isMultiRegionTrail', 'includeGlobalServiceEvents', 'logFileValidationEnabled', 'kmsKeyId', 'cloudWatchLogsLogGroupArn', 'cloudWatchLogsRoleArn'] as const;
export type TrailSetting = (typeof TRAIL_SETTINGS)[number];

export interface TrailDrift {
  readonly deleted: boolean;
  readonly stopped: boolean;
  readonly selectorsNarrowed: boolean;
  /** Settings that differ from the baseline; UpdateTrail restores them when `restoreSettings` allows. */
  readonly settings: readonly { readonly field: TrailSetting; readonly actual: string | boolean | null; readonly intended: string | boolean }[];
}

export function withAccount(value: string, account: string): string {
  return value.replaceAll('{account}', account);
}

export function intendedSetting(intended: BaselineTrail, field: TrailSetting, account: string): string | boolean | undefined {
  const value = intended[field];
  return typeof value === 'string' ? withAccount(value, account) : value;
}

export function trailDrift(actual: TrailState | undefined, intended: BaselineTrail, account: string): TrailDrift {
  if (!actual) return { deleted: true, stopped: false, selectorsNarrowed: false, settings: [] };
  const settings: TrailDrift['settings'][number][] = [];
  for (const field of TRAIL_SETTINGS) {
    const want = intendedSetting(intended, field, account);
    if (want === undefined) continue;
    const have = actual[field];
    // KMS keys may be named by ARN or alias in the baseline but come back as ARNs: compare the key part.
    const same = field === 'kmsKeyId' ? keyPart(String(have ?? '')) === keyPart(String(want)) : have === want;
    if (!same) settings.push({ field, actual: have, intended: want });
  }
  const selectorsNarrowed = intended.advancedEventSelectors
    ? actual.advancedEventSelectors === null || canonicalJson(actual.advancedEventSelectors as never) !== canonicalJson(intended.advancedEventSelectors as never)
    : narrowed(actual.eventSelectors, intended.eventSelectors);
  return { deleted: false, stopped: !actual.logging, selectorsNarrowed, settings };
}

function keyPart(value: string): string {
  return value.slice(value.lastIndexOf(':') + 1);
}

/** Event selectors are narrowed when the management events the baseline records are no longer all recorded. */
function narrowed(actual: readonly TrailEventSelector[] | null, intended: readonly TrailEventSelector[]): boolean {
  // Advanced selectors where the baseline has basic ones: a different language, so "not what the baseline says".
  if (actual === null) return true;
  const covers = (a: TrailEventSelector, b: TrailEventSelector) =>
    a.includeManagementEvents &&
    (a.readWriteType === 'All' || a.readWriteType === b.readWriteType) &&
    a.excludeManagementEventSources.every((source) => b.excludeManagementEventSources.includes(source));
  return intended.filter((b) => b.includeManagementEvents).some((b) => !actual.some((a) => covers(a, b)));
}

export function hasTrailDrift(drift: TrailDrift): boolean {
  return drift.deleted || drift.stopped || drift.selectorsNarrowed || drift.settings.length > 0;
}

/** Delivery trouble on a logging trail: detect only, because the cause (a bucket policy, a KMS key policy) is outside the trail. */
export function deliveryProblem(actual: TrailState | undefined, intended: BaselineTrail): { readonly error: string | null; readonly lagMinutes: number | null } | null {
  if (!actual || !actual.logging) return null;
  const lagMinutes = actual.deliveryLagSeconds === null ? null : Math.floor(actual.deliveryLagSeconds / 60);
  const stale = intended.maxDeliveryLagMinutes > 0 && lagMinutes !== null && lagMinutes > intended.maxDeliveryLagMinutes;
  return actual.latestDeliveryError || stale ? { error: actual.latestDeliveryError, lagMinutes } : null;
}

export function trailArn(trail: BaselineTrail, account: string): string {
  return `arn:aws:cloudtrail:${trail.homeRegion}:${account}:trail/${trail.name}`;
}
