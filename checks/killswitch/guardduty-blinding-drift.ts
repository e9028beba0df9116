import { z } from 'zod';
import type { GuardDutySuppressionState } from '../cloud/aws/collect/guardduty.js';

/** The trusted IP sets and archive filters an admin approved; anything else was added since the baseline. */
export const guardDutyBlindingBaseline = z.strictObject({
  trustedIpSets: z.array(z.string().min(1)).default([]),
  archiveFilters: z.array(z.string().min(1)).default([]),
});

/** Evaluated on its own so the read-back after a fix applies exactly the evaluator's rule. */
export function blindingItems(state: GuardDutySuppressionState, baseline: z.output<typeof guardDutyBlindingBaseline>) {
  const trusted = new Set(baseline.trustedIpSets);
  const archive = new Set(baseline.archiveFilters);
  return {
    ipSets: state.ipSets.filter((set) => (set.status === 'ACTIVE' || set.status === 'ACTIVATING') && !trusted.has(set.name)),
    filters: state.filters.filter((filter) => filter.action === 'ARCHIVE' && !archive.has(filter.name)),
  };
}
