import type { FindingInput, JsonValue, Severity } from '../../../../src/check-api/types.js';
import { awsFinding, awsResourceId } from '../aws-check.js';
import type { CloudTrailRegionState, TrailState } from '../collect/cloudtrail.js';
import { allRegionsScope, unreadRegions, type RegionalInventory } from '../collect/inventory.js';

export interface HomeTrail {
  readonly account: string;
  readonly region: string;
  readonly scope: string;
  readonly trail: TrailState;
}

/** Each trail once, read in its home region (shadows elsewhere only name it). */
export function homeTrails(inventory: RegionalInventory<CloudTrailRegionState>): HomeTrail[] {
  return inventory.regions.flatMap((r) => r.data.trails.map((trail) => ({ account: r.account, region: r.region, scope: r.scope, trail })));
}

type Advanced = { FieldSelectors?: { Field?: string; Equals?: string[]; StartsWith?: string[] }[] };
const field = (selector: Advanced, name: string) => selector.FieldSelectors?.find((f) => f.Field === name);

/** Management events, read and write: a basic selector with ReadWriteType All, or an advanced one with no readOnly filter. */
export function logsAllManagementEvents(trail: TrailState): boolean {
  if (trail.eventSelectors) return trail.eventSelectors.some((s) => s.includeManagementEvents && s.readWriteType === 'All');
  return (trail.advancedEventSelectors ?? []).some((raw) => {
    const s = raw as Advanced;
    return field(s, 'eventCategory')?.Equals?.includes('Management') === true && !field(s, 'readOnly');
  });
}

/** A multi-region trail that is logging every management event: CIS 3.1, and the source the 4.x alarms need. */
export function isCisTrail(trail: TrailState): boolean {
  return trail.isMultiRegionTrail && trail.logging && logsAllManagementEvents(trail);
}

/** S3 object-level events for every bucket, for reads or writes (CIS 3.8/3.9), basic or advanced selectors. */
export function logsS3DataEvents(trail: TrailState, kind: 'read' | 'write'): boolean {
  const wanted = kind === 'read' ? ['All', 'ReadOnly'] : ['All', 'WriteOnly'];
  if (trail.eventSelectors) {
    return trail.eventSelectors.some(
      (s) => wanted.includes(s.readWriteType) && (s.dataResources ?? []).some((d) => d.type === 'AWS::S3::Object' && d.values.some((v) => v === 'arn:aws:s3' || v === 'arn:aws:s3:::')),
    );
  }
  return (trail.advancedEventSelectors ?? []).some((raw) => {
    const s = raw as Advanced;
    const readOnly = field(s, 'readOnly')?.Equals;
    const direction = !readOnly || readOnly.includes(kind === 'read' ? 'true' : 'false');
    return field(s, 'eventCategory')?.Equals?.includes('Data') === true && field(s, 'resources.type')?.Equals?.includes('AWS::S3::Object') === true && !field(s, 'resources.ARN') && direction;
  });
}

/**
 * An account-wide verdict from regional reads: no finding when satisfied; when not, a finding only if every listed
 * region of every inventory it draws on was read, since the missing piece may sit in the region that could not be read (then the control is unknown).
 */
export function accountVerdicts(
  inventories: readonly RegionalInventory<unknown>[],
  spec: { what: string; severity: Severity; satisfied: (account: string) => boolean; title: (account: string) => string; evidence: (account: string) => { [key: string]: JsonValue } },
): FindingInput[] {
  return (inventories[0]?.listed ?? []).flatMap(({ account }) => {
    if (spec.satisfied(account) || inventories.some((inventory) => unreadRegions(inventory, account).length > 0)) return [];
    return [awsFinding({ account, scope: allRegionsScope(account), resourceId: awsResourceId(account, 'all-regions', spec.what), title: spec.title(account), severity: spec.severity, evidence: spec.evidence(account) })];
  });
}
