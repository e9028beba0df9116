import { CIS_AWS_CONTROLS, type CisControl } from './cis-catalog.js';

/**
 * Per CIS control: pass (ran, complete, no finding), fail (a finding), unknown (ran but a scope could not be read, or
 * the run failed: never a pass), manual (left to a person; outside the score) or not-run (not selected this time).
 * Built from what the ledger keeps per run (check, outcome, findings), so it is the same live or from history.
 */
export type CisResult = 'pass' | 'fail' | 'unknown' | 'manual' | 'not-run';

export interface CheckOutcome {
  readonly checkId: string;
  readonly outcome: string;
  readonly findings: number;
}

export interface CisSummaryRow {
  readonly v3: string | null;
  readonly v4: string | null;
  readonly v5: string | null;
  readonly title: string;
  readonly level: 1 | 2;
  readonly check: string | null;
  readonly result: CisResult;
  readonly findings: number;
  readonly assessment: CisControl['assessment'];
}

export interface CisSummary {
  readonly benchmark: typeof CIS_AWS_BENCHMARK;
  readonly rows: readonly CisSummaryRow[];
  readonly counts: Record<CisResult, number>;
  /** pass / (pass + fail + unknown): an unknown control counts against the score, a manual one not at all. */
  readonly score: number | null;
}

export const CIS_AWS_BENCHMARK = 'CIS Amazon Web Services Foundations Benchmark v3.0.0 (v4.0.1 and v5.0.0 ids alongside)';

export function cisSummary(outcomes: readonly CheckOutcome[]): CisSummary {
  const byCheck = new Map<string, { outcome: string; findings: number }>();
  for (const run of outcomes) {
    // Several targets may run one check: any failure fails it, any incomplete run makes it unknown.
    const seen = byCheck.get(run.checkId);
    byCheck.set(run.checkId, { outcome: seen && seen.outcome !== 'ok' ? seen.outcome : run.outcome, findings: (seen?.findings ?? 0) + run.findings });
  }
  const rows = CIS_AWS_CONTROLS.map((control): CisSummaryRow => {
    const run = control.check ? byCheck.get(control.check) : undefined;
    const result: CisResult = !control.check ? 'manual' : !run ? 'not-run' : run.findings > 0 ? 'fail' : run.outcome === 'ok' ? 'pass' : 'unknown';
    return { v3: control.v3, v4: control.v4, v5: control.v5, title: control.title, level: control.level, check: control.check, result, findings: run?.findings ?? 0, assessment: control.assessment };
  });
  const counts = { pass: 0, fail: 0, unknown: 0, manual: 0, 'not-run': 0 } satisfies Record<CisResult, number>;
  for (const row of rows) counts[row.result] += 1;
  const scored = counts.pass + counts.fail + counts.unknown;
  return { benchmark: CIS_AWS_BENCHMARK, rows, counts, score: scored ? Math.round((counts.pass / scored) * 1000) / 10 : null };
}

/**
 * The summary from the ledger: the latest finished run of each check (per target; skipped runs ignored), with the
 * findings that run saw. `runs` is what `listRuns` returns, newest first.
 */
export function cisSummaryFromRuns(runs: readonly { checkId: string; targetId: string; outcome: string; findingsSeen: number }[], targetId?: string): CisSummary {
  const latest = new Map<string, CheckOutcome>();
  for (const run of runs) {
    if (!run.checkId.startsWith('aws.') || run.outcome === 'skipped' || (targetId && run.targetId !== targetId)) continue;
    const key = `${run.checkId}\0${run.targetId}`;
    if (!latest.has(key)) latest.set(key, { checkId: run.checkId, outcome: run.outcome, findings: run.findingsSeen });
  }
  return cisSummary([...latest.values()]);
}

/** Fixed-width text for the terminal (stderr of `audit run aws`). */
export function renderCisSummary(summary: CisSummary): string {
  const lines = summary.rows
    .filter((row) => row.result !== 'not-run')
    .map((row) => `${(row.v3 ?? '-').padEnd(6)} ${(row.v4 ?? '-').padEnd(6)} ${(row.v5 ?? '-').padEnd(6)} ${row.result.padEnd(8)} ${String(row.findings || '').padStart(4)}  ${row.check ?? '(manual)'}  ${row.title}`);
  const c = summary.counts;
  return [
    `${summary.benchmark}`,
    `v3     v4.0.1 v5.0.0 result   finds  check  title`,
    ...lines,
    `pass ${c.pass}, fail ${c.fail}, unknown ${c.unknown}, manual ${c.manual}${c['not-run'] ? `, not run ${c['not-run']}` : ''}; score ${summary.score ?? '-'}% (manual controls are outside the score)`,
    '',
  ].join('\n');
}
