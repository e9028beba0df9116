import type { Coverage, RunOutcome } from '../../check-api/types.js';
import type { Db } from '../db.js';

export interface RunRow {
  readonly id: string;
  readonly checkId: string;
  readonly targetId: string;
  readonly trigger: string;
  readonly scheduleId: string | null;
  readonly slot: number | null;
  readonly outcome: RunOutcome;
  readonly skipReason: string | null;
  readonly skipCount: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly error: string | null;
  readonly coverage: Coverage;
  readonly findingsSeen: number;
  readonly findingsNew: number;
  readonly findingsReopened: number;
  readonly findingsResolved: number;
}

export interface RunFilter {
  readonly check?: string;
  readonly outcome?: RunOutcome;
  readonly scheduleId?: string;
  readonly limit?: number;
}

export function listRuns(db: Db, filter: RunFilter = {}): RunRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.check) {
    where.push('check_id = ?');
    params.push(filter.check);
  }
  if (filter.outcome) {
    where.push('outcome = ?');
    params.push(filter.outcome);
  }
  if (filter.scheduleId) {
    where.push('schedule_id = ?');
    params.push(filter.scheduleId);
  }
  const rows = db
    .prepare(
      `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`,
    )
    .all(...params, filter.limit ?? 50) as Record<string, any>[];
  return rows.map((row) => ({
    id: row.id,
    checkId: row.check_id,
    targetId: row.target_id,
    trigger: row.trigger,
    scheduleId: row.schedule_id,
    slot: row.slot,
    outcome: row.outcome,
    skipReason: row.skip_reason,
    skipCount: row.skip_count,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    coverage: JSON.parse(row.coverage),
    findingsSeen: row.findings_seen,
    findingsNew: row.findings_new,
    findingsReopened: row.findings_reopened,
    findingsResolved: row.findings_resolved,
  }));
}

export function readCursors(db: Db, checkId: string, targetId: string): Record<string, string> {
  const rows = db.prepare('SELECT key, value FROM cursors WHERE check_id = ? AND target_id = ?').all(checkId, targetId) as {
    key: string;
    value: string;
  }[];
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

export function lastSlot(db: Db, scheduleId: string): number | undefined {
  const row = db.prepare('SELECT last_slot FROM schedule_state WHERE schedule_id = ?').get(scheduleId) as { last_slot: number | null } | undefined;
  return row?.last_slot ?? undefined;
}
