import type { GuardDutyFilter, GuardDutySuppressionState } from '../cloud/aws/collect/guardduty.js';
import { canonicalJson } from '../../src/store/canonical-json.js';
import { forRegion, type GuardDutyBaseline } from './guardduty-drift.js';

type BaselineFilter = GuardDutyBaseline['filters'][number];

/**
 * What differs between one detector's IP sets, threat lists, filters and findings export and the baseline, split by
 * what it means: `blinding` hides findings (critical), `weakened` loses detection or delivery (high), `missing` is an
 * approved item that is gone (low: noisier, not blinder). Shared by the evaluator, the fixes and their read-back.
 */
export interface BlindingDrift {
  readonly unapprovedIpSets: GuardDutySuppressionState['ipSets'];
  readonly unapprovedArchiveFilters: readonly GuardDutyFilter[];
  /** Approved ARCHIVE filters whose action, criteria or rank now differ: widened to hide more is the attack. */
  readonly changedFilters: readonly { readonly actual: GuardDutyFilter; readonly intended: BaselineFilter }[];
  readonly missingThreatIntelSets: readonly string[];
  readonly inactiveThreatIntelSets: GuardDutySuppressionState['threatIntelSets'];
  readonly missingDestinations: readonly string[];
  readonly missingIpSets: readonly string[];
  readonly missingFilters: readonly string[];
}

export function blindingDrift(state: GuardDutySuppressionState, baseline: GuardDutyBaseline, account: string, region: string): BlindingDrift {
  const trusted = new Set(baseline.trustedIpSets.map((set) => set.name));
  const approvedFilters = new Map(baseline.filters.map((filter) => [filter.name, filter]));
  const activeIp = (status: string) => status === 'ACTIVE' || status === 'ACTIVATING';
  const intel = new Map(state.threatIntelSets.map((set) => [set.name, set]));
  const destinations = new Set(state.publishingDestinations.map((d) => d.destinationArn));
  const filterNames = new Set(state.filters.map((f) => f.name));
  const ipNames = new Set(state.ipSets.map((s) => s.name));
  return {
    unapprovedIpSets: state.ipSets.filter((set) => activeIp(set.status) && !trusted.has(set.name)),
    unapprovedArchiveFilters: state.filters.filter((filter) => filter.action === 'ARCHIVE' && !approvedFilters.has(filter.name)),
    changedFilters: state.filters.flatMap((actual) => {
      const intended = approvedFilters.get(actual.name);
      if (!intended || (actual.action !== 'ARCHIVE' && intended.action !== 'ARCHIVE')) return [];
      return filterDiffers(actual, intended) ? [{ actual, intended }] : [];
    }),
    missingThreatIntelSets: baseline.threatIntelSets.filter((set) => !intel.has(set.name)).map((set) => set.name),
    inactiveThreatIntelSets: baseline.threatIntelSets.flatMap((set) => {
      const actual = intel.get(set.name);
      return actual && !activeIp(actual.status) ? [actual] : [];
    }),
    missingDestinations: baseline.publishingDestinations.map((d) => forRegion(d.destinationArn, account, region)).filter((arn) => !destinations.has(arn)),
    missingIpSets: baseline.trustedIpSets.filter((set) => !ipNames.has(set.name)).map((set) => set.name),
    missingFilters: baseline.filters.filter((filter) => !filterNames.has(filter.name)).map((filter) => filter.name),
  };
}

export function filterDiffers(actual: GuardDutyFilter, intended: BaselineFilter): boolean {
  return (
    actual.action !== intended.action ||
    (intended.rank !== undefined && actual.rank !== intended.rank) ||
    canonicalJson(actual.findingCriteria as never) !== canonicalJson(intended.findingCriteria as never)
  );
}

export function hasBlindingDrift(drift: BlindingDrift): boolean {
  return Object.values(drift).some((items: readonly unknown[]) => items.length > 0);
}
