import type { RunOutcome, Severity } from '../../src/check-api/types.js';
import type { Db } from '../../src/store/db.js';

/** What the TUI knows about a check from the registry; passed in so this module does not import every check. */
export interface CheckMetaLite {
  readonly id: string;
  readonly title: string;
  readonly area: string;
  readonly severity: Severity;
}

export interface CheckListRow {
  readonly id: string;
  readonly title: string;
  readonly lastOutcome: RunOutcome | null;
  readonly lastStartedAt: number | null;
  readonly lastDurationMs: number | null;
  readonly activeFindings: number;
  readonly nextRunAt: number | null;
}

export function checkList(db: Db, catalog: readonly CheckMetaLite[], now: number): CheckListRow[] {
  const last = new Map(
    (
      db
        .prepare(
          `SELECT r.check_id, r.outcome, r.started_at, r.finished_at FROM runs r
           JOIN (SELECT check_id, max(started_at) AS s FROM runs WHERE outcome <> 'skipped' GROUP BY check_id) l ON r.check_id = l.check_id AND r.started_at = l.s
           WHERE r.outcome <> 'skipped' GROUP BY r.check_id`,
        )
        .all() as { check_id: string; outcome: RunOutcome; started_at: number; finished_at: number }[]
    ).map((row) => [row.check_id, row]),
  );
  const active = new Map(
    (
      db
        .prepare(
          `SELECT check_id, count(*) AS n FROM findings WHERE status IN ('new','open','reopened')
             AND NOT (decision IS NOT NULL AND NOT (decision = 'accepted' AND decision_until IS NOT NULL AND decision_until <= ?)) GROUP BY check_id`,
        )
        .all(now) as { check_id: string; n: number }[]
    ).map((row) => [row.check_id, row.n]),
  );
  const next = new Map(
    (db.prepare(`SELECT check_id, min(next_slot) AS at FROM schedule_state WHERE next_slot IS NOT NULL GROUP BY check_id`).all() as { check_id: string; at: number }[]).map(
      (row) => [row.check_id, row.at],
    ),
  );
  const titles = new Map(catalog.map((check) => [check.id, check.title]));
  const ids = [...new Set([...titles.keys(), ...last.keys(), ...active.keys(), ...next.keys()])].sort();
  return ids.map((id) => {
    const run = last.get(id);
    return {
      id,
      title: titles.get(id) ?? '(not in this build)',
      lastOutcome: run?.outcome ?? null,
      lastStartedAt: run?.started_at ?? null,
      lastDurationMs: run ? run.finished_at - run.started_at : null,
      activeFindings: active.get(id) ?? 0,
      nextRunAt: next.get(id) ?? null,
    };
  });
}
