import type { Db } from './db.js';
import { statement } from './statement-cache.js';

export interface OutboxRow {
  readonly id: number;
  readonly topic: string;
  readonly eventId: number | null;
  readonly runId: string | null;
  readonly fingerprint: string | null;
  readonly payload: unknown;
  readonly createdAt: number;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

export interface OutboxEntry {
  readonly topic: string;
  readonly eventId?: number;
  readonly runId?: string;
  readonly fingerprint?: string;
  readonly payload: unknown;
}

/** Must be called inside the transaction that made the change, so the change and its notice commit together. */
export function appendOutbox(db: Db, entry: OutboxEntry, now: number): number {
  const info = statement(
    db,
    `INSERT INTO outbox (topic, event_id, run_id, fingerprint, payload, created_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(entry.topic, entry.eventId ?? null, entry.runId ?? null, entry.fingerprint ?? null, JSON.stringify(entry.payload), now, now);
  return Number(info.lastInsertRowid);
}

export function pendingOutbox(db: Db, now: number, limit = 100): OutboxRow[] {
  const rows = db
    .prepare(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`)
    .all(now, limit) as RawOutboxRow[];
  return rows.map(fromRaw);
}

export function markDelivered(db: Db, id: number, now: number): void {
  db.prepare(`UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE id = ?`).run(now, id);
}

/** A failed delivery stays pending with a later attempt time; only after maxAttempts does it become a dead letter. */
export function markFailed(db: Db, id: number, error: string, nextAttemptAt: number, maxAttempts: number): void {
  db.prepare(
    `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
       status = CASE WHEN attempts + 1 >= ? THEN 'dead' ELSE 'pending' END
     WHERE id = ?`,
  ).run(error, nextAttemptAt, maxAttempts, id);
}

export function outboxCounts(db: Db): Record<'pending' | 'delivered' | 'dead', number> {
  const counts = { pending: 0, delivered: 0, dead: 0 };
  for (const row of db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`).all() as { status: keyof typeof counts; n: number }[]) {
    counts[row.status] = row.n;
  }
  return counts;
}

interface RawOutboxRow {
  id: number;
  topic: string;
  event_id: number | null;
  run_id: string | null;
  fingerprint: string | null;
  payload: string;
  created_at: number;
  status: OutboxRow['status'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

function fromRaw(row: RawOutboxRow): OutboxRow {
  return {
    id: row.id,
    topic: row.topic,
    eventId: row.event_id,
    runId: row.run_id,
    fingerprint: row.fingerprint,
    payload: JSON.parse(row.payload),
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
  };
}
