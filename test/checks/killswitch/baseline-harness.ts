import { BASELINE_SCHEMAS, type BaselineKind } from '../../../checks/killswitch/baselines.js';

/** What the baseline collector yields for a job whose config gives `raw` as options.baseline (the checkTester path). */
export function approved(kind: BaselineKind, raw: unknown) {
  return { source: 'config' as const, version: null, approvedBy: null, approvedAt: null, baseline: BASELINE_SCHEMAS[kind].parse(raw) };
}

export function approvedCollected(kind: BaselineKind, raw: unknown) {
  return { data: approved(kind, raw), coverage: { ok: [], failed: [] } };
}
