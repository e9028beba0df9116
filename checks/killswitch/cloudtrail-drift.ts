import { z } from 'zod';
import type { TrailEventSelector, TrailState } from '../cloud/aws/collect/cloudtrail.js';
import { awsRegionName } from '../cloud/aws/collect/scope-options.js';

const selector = z.strictObject({
  readWriteType: z.enum(['All', 'ReadOnly', 'WriteOnly']).default('All'),
  includeManagementEvents: z.boolean().default(true),
  excludeManagementEventSources: z.array(z.string()).default([]),
});

/** The trails that must exist and log, as an admin approved them. */
export const cloudTrailBaseline = z.strictObject({
  trails: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        homeRegion: awsRegionName,
        /** Accounts that own this trail; absent means every audited account (an organization trail names the management account). */
        accounts: z.array(z.string().regex(/^\d{12}$/)).optional(),
        s3BucketName: z.string().min(3),
        isMultiRegionTrail: z.boolean().default(true),
        isOrganizationTrail: z.boolean().default(false),
        includeGlobalServiceEvents: z.boolean().default(true),
        eventSelectors: z.array(selector).default([{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] }]),
        /** Re-create the trail if it was deleted. Off by default: a deleted trail is always a critical alert, but a new trail is a deliberate act. */
        recreate: z.boolean().default(false),
      }),
    )
    .default([]),
});
export type CloudTrailBaseline = z.output<typeof cloudTrailBaseline>;
export type BaselineTrail = CloudTrailBaseline['trails'][number];

export interface TrailDrift {
  readonly deleted: boolean;
  readonly stopped: boolean;
  readonly selectorsNarrowed: boolean;
  /** Settings that only UpdateTrail could restore; reported, not remediated. */
  readonly settings: readonly { readonly field: string; readonly actual: string | boolean | null; readonly intended: string | boolean }[];
}

export function trailDrift(actual: TrailState | undefined, intended: BaselineTrail): TrailDrift {
  if (!actual) return { deleted: true, stopped: false, selectorsNarrowed: false, settings: [] };
  const settings: TrailDrift['settings'][number][] = [];
  if (actual.s3BucketName !== intended.s3BucketName) settings.push({ field: 's3BucketName', actual: actual.s3BucketName, intended: intended.s3BucketName });
  if (actual.isMultiRegionTrail !== intended.isMultiRegionTrail) settings.push({ field: 'isMultiRegionTrail', actual: actual.isMultiRegionTrail, intended: intended.isMultiRegionTrail });
  if (actual.includeGlobalServiceEvents !== intended.includeGlobalServiceEvents) settings.push({ field: 'includeGlobalServiceEvents', actual: actual.includeGlobalServiceEvents, intended: intended.includeGlobalServiceEvents });
  return { deleted: false, stopped: !actual.logging, selectorsNarrowed: narrowed(actual.eventSelectors, intended.eventSelectors), settings };
}

/** Event selectors are narrowed when the management events the baseline records are no longer all recorded. */
function narrowed(actual: readonly TrailEventSelector[] | null, intended: readonly TrailEventSelector[]): boolean {
  // Advanced selectors are a different language; treat them as "not what the baseline says".
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

export function trailArn(trail: BaselineTrail, account: string): string {
  return `arn:aws:cloudtrail:${trail.homeRegion}:${account}:trail/${trail.name}`;
}
