import type { z } from 'zod';
import type { CheckContext, Collected, Collector } from '../../src/check-api/types.js';
import type { BaselineReader } from '../../src/store/killswitch-baselines.js';
import { cloudTrailBaseline } from './cloudtrail-drift.js';
import { configBaseline } from './config-drift.js';
import { guardDutyBaseline } from './guardduty-drift.js';
import { guardDutyMembersBaseline } from './guardduty-members-drift.js';
import { sccBaseline } from './scc-drift.js';
import { sccSilencingBaseline } from './scc-silencing-drift.js';
import { securityHubBaseline } from './securityhub-drift.js';

/**
 * The kinds of approved baseline, each with its schema. Two checks can share one kind (both GuardDuty checks read the
 * detector's baseline, because re-creating a deleted detector must also re-apply its IP sets, threat lists, filters and
 * findings export). In the ledger a baseline is keyed by (kind, job).
 */
export const BASELINE_SCHEMAS = {
  guardduty: guardDutyBaseline,
  'guardduty-members': guardDutyMembersBaseline,
  cloudtrail: cloudTrailBaseline,
  config: configBaseline,
  securityhub: securityHubBaseline,
  scc: sccBaseline,
  'scc-silencing': sccSilencingBaseline,
} as const;
export type BaselineKind = keyof typeof BASELINE_SCHEMAS;

export const CHECK_BASELINE_KIND: Readonly<Record<string, BaselineKind>> = {
  'killswitch.guardduty-enabled': 'guardduty',
  'killswitch.guardduty-blinding': 'guardduty',
  'killswitch.guardduty-members': 'guardduty-members',
  'killswitch.cloudtrail-logging': 'cloudtrail',
  'killswitch.config-recorder': 'config',
  'killswitch.securityhub-enabled': 'securityhub',
  'killswitch.scc-enabled': 'scc',
  'killswitch.scc-silencing': 'scc-silencing',
};

/** The baseline a run compares with, and where it came from (recorded in every finding's evidence). */
export interface ApprovedBaseline<B> {
  /** config: the job's `options.baseline`; ledger: the newest approved version; default: neither exists. */
  readonly source: 'config' | 'ledger' | 'default';
  readonly version: number | null;
  readonly approvedBy: string | null;
  readonly approvedAt: number | null;
  readonly baseline: B;
}

export type BaselineOf<K extends BaselineKind> = z.output<(typeof BASELINE_SCHEMAS)[K]>;

/**
 * Resolves the baseline of a run: the job's own `options.baseline` when the config gives one (reviewed like code,
 * it wins), else the newest version approved into the ledger (`audit killswitch baseline <job> --approve`), else the
 * schema's defaults (which still catch a suspended or deleted defender). A stored baseline that no longer parses fails
 * the run: restoring from a baseline nobody can read would be guessing.
 */
export function approvedBaseline<K extends BaselineKind>(kind: K): Collector<ApprovedBaseline<BaselineOf<K>>, any> {
  const schema = BASELINE_SCHEMAS[kind] as unknown as z.ZodType<BaselineOf<K>>;
  return async (ctx: CheckContext<{ readonly baseline?: BaselineOf<K> | undefined }>): Promise<Collected<ApprovedBaseline<BaselineOf<K>>>> => {
    const coverage = { ok: [], failed: [] };
    if (ctx.options.baseline !== undefined) return { data: { source: 'config', version: null, approvedBy: null, approvedAt: null, baseline: ctx.options.baseline }, coverage };
    const reader = ctx.services.killswitchBaselines as BaselineReader | undefined;
    const stored = reader?.active(kind, ctx.target.id);
    if (!stored) return { data: { source: 'default', version: null, approvedBy: null, approvedAt: null, baseline: schema.parse({}) }, coverage };
    const parsed = schema.safeParse(stored.baseline);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`the approved ${kind} baseline v${stored.version} of '${ctx.target.id}' is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}; approve a new one`);
    }
    return { data: { source: 'ledger', version: stored.version, approvedBy: stored.approvedBy, approvedAt: stored.approvedAt, baseline: parsed.data }, coverage };
  };
}

/** The few words of evidence that say which baseline a finding was measured against. */
export function baselineEvidence(approved: ApprovedBaseline<unknown>): { source: string; version: number | null } {
  return { source: approved.source, version: approved.version };
}
