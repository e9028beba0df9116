import type { Db } from './db.js';

export interface PruneSummary {
  readonly runs: number;
  readonly findings: number;
  readonly outbox: number;
}

/**
 * Drops history older than the cut-off. Never touches an active finding, the latest run of each check and target
 * (the TUI and `audit runs` show it), or an outbox row that has not been delivered yet: pruning must not lose alerts.
 */
export function pruneStore(db: Db, keepDays: number, now = Date.now()): PruneSummary {
  const cutoff = now - keepDays * 86_400_000;
  return db.transaction((): PruneSummary => {
    const runs = db
      .prepare(
        `DELETE FROM runs WHERE finished_at < ? AND id NOT IN (
           SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY check_id, target_id ORDER BY started_at DESC) AS n FROM runs) WHERE n = 1)
         AND id NOT IN (SELECT last_run_id FROM schedule_state WHERE last_run_id IS NOT NULL)`,
      )
      .run(cutoff).changes;
    const findings = db.prepare(`DELETE FROM findings WHERE status = 'resolved' AND resolved_at < ?`).run(cutoff).changes;
    const outbox = db.prepare(`DELETE FROM outbox WHERE status = 'delivered' AND created_at < ?`).run(cutoff).changes;
    return { runs, findings, outbox };
  }).immediate();
}
