import type { K8sCollection, K8sControl } from './index.js';
import { MANUAL_CONTROLS } from './manual-controls.js';
import type { K8sOptions } from './options.js';

export interface ScoreRow {
  readonly id: string;
  /** CIS ids per version, e.g. { '1.12': '5.2.9', '1.10': '5.2.10' }. */
  readonly cis: Readonly<Record<string, string>>;
  readonly status: 'pass' | 'fail' | 'not-applicable' | 'manual';
  readonly failed?: number;
  readonly total?: number;
  readonly unit?: string;
  /** Why a control does not apply, or why it is manual. */
  readonly reason?: string;
}

export interface Scorecard {
  readonly rows: readonly ScoreRow[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly notApplicable: number; readonly manual: number };
}

/**
 * Every control's verdict over one collection: failed / total objects for assessed controls (exceptions do not change
 * the count: an excepted object still fails, it just does not alert), the reason for not-applicable ones, and the
 * manual controls, which are listed but never scored.
 */
export function scorecard(controls: readonly K8sControl[], data: K8sCollection, options: K8sOptions): Scorecard {
  const rows: ScoreRow[] = controls.map(({ check, assess }) => {
    const cis = Object.fromEntries(check.references.filter((r) => r.framework === 'cis-kubernetes' && r.version).map((r) => [r.version!, r.control]));
    const verdict = assess(data, options);
    if (verdict.status === 'not-applicable') return { id: check.id, cis, status: 'not-applicable', reason: verdict.reason };
    const failed = new Set(verdict.outcome.hits.map((hit) => hit.resourceId)).size;
    return { id: check.id, cis, status: failed > 0 ? 'fail' : 'pass', failed, total: verdict.outcome.total, unit: verdict.outcome.unit };
  });
  for (const manual of MANUAL_CONTROLS) rows.push({ id: `(manual) ${manual.title}`, cis: { '1.12': manual.cis }, status: 'manual', reason: manual.why });
  const count = (status: ScoreRow['status']) => rows.filter((row) => row.status === status).length;
  return { rows, summary: { pass: count('pass'), fail: count('fail'), notApplicable: count('not-applicable'), manual: count('manual') } };
}
