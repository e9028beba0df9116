import type { Coverage, RunOutcome } from '../../src/check-api/types.js';
import type { Db } from '../../src/store/db.js';

export interface RunListRow {
  readonly id: string;
  readonly checkId: string;
  readonly targetId: string;
  readonly trigger: string;
  readonly outcome: RunOutcome;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly error: string | null;
  readonly skipReason: string | null;
  readonly skipCount: number;
  readonly uncovered: readonly string[];
  readonly findingsSeen: number;
  readonly findingsNew: number;
  readonly findingsResolved: number;
}

interface RawRun {
  id: string;
  check_id: string;
  target_id: string;
  trigger: string;
  outcome: RunOutcome;
  started_at: number;
  finished_at: number;
  error: string | null;
  skip_reason: string | null;
  skip_count: number;
  coverage: string;
  findings_seen: number;
  findings_new: number;
  findings_resolved: number;
}

export function runCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
}

/** Newest first, one window at a time (runs_started index). */
export function runPage(db: Db, offset: number, limit: number): RunListRow[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?').all(limit, offset) as RawRun[];
  return rows.map((row) => {
    const coverage = JSON.parse(row.coverage) as Coverage;
    return {
      id: row.id,
      checkId: row.check_id,
      targetId: row.target_id,
      trigger: row.trigger,
      outcome: row.outcome,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.error,
      skipReason: row.skip_reason,
      skipCount: row.skip_count,
      uncovered: coverage.failed.map((failure) => `${failure.scope}: ${failure.error.message}`),
      findingsSeen: row.findings_seen,
      findingsNew: row.findings_new,
      findingsResolved: row.findings_resolved,
    };
  });
}
