import type { Db } from '../store/db.js';

/** What `audit outbox` shows and changes: outbox rows with their per-sink delivery state. */
export interface OutboxListing {
  readonly id: number;
  readonly topic: string;
  readonly fingerprint: string | null;
  readonly runId: string | null;
  readonly createdAt: number;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly lastError: string | null;
  readonly deliveries: readonly { sink: string; status: string; attempts: number; nextAttemptAt: number; lastError: string | null }[];
}

export type OutboxFilter = 'pending' | 'dead' | 'delivered' | 'undelivered' | 'all';

export function listOutbox(db: Db, filter: OutboxFilter, limit: number): OutboxListing[] {
  const where = filter === 'all' ? '' : filter === 'undelivered' ? `WHERE status IN ('pending','dead')` : `WHERE status = ?`;
  const params = filter === 'all' || filter === 'undelivered' ? [limit] : [filter, limit];
  const rows = db
    .prepare(`SELECT id, topic, fingerprint, run_id, created_at, status, last_error FROM outbox ${where} ORDER BY id DESC LIMIT ?`)
    .all(...params) as { id: number; topic: string; fingerprint: string | null; run_id: string | null; created_at: number; status: OutboxListing['status']; last_error: string | null }[];
  const deliveries = db.prepare(`SELECT sink, status, attempts, next_attempt_at, last_error FROM notify_deliveries WHERE outbox_id = ? ORDER BY sink`);
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    fingerprint: row.fingerprint,
    runId: row.run_id,
    createdAt: row.created_at,
    status: row.status,
    lastError: row.last_error,
    deliveries: (deliveries.all(row.id) as { sink: string; status: string; attempts: number; next_attempt_at: number; last_error: string | null }[]).map((d) => ({
      sink: d.sink,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.next_attempt_at,
      lastError: d.last_error,
    })),
  }));
}

/** Puts dead (and waiting) deliveries of these rows back in line now, with a fresh attempt budget. Returns rows changed. */
export function retryOutbox(db: Db, ids: readonly number[] | 'all-dead', now = Date.now()): number {
  return db.transaction(() => {
    const targets =
      ids === 'all-dead'
        ? (db.prepare(`SELECT id FROM outbox WHERE status = 'dead'`).all() as { id: number }[]).map((row) => row.id)
        : ids.filter((id) => db.prepare(`SELECT 1 FROM outbox WHERE id = ? AND status IN ('pending','dead')`).get(id) !== undefined);
    for (const id of targets) {
      const reset = db
        .prepare(`UPDATE notify_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE outbox_id = ? AND status IN ('pending','dead')`)
        .run(now, id).changes;
      // A row that could not be routed at all has no deliveries: plan it again (config may have been fixed).
      if (reset === 0) db.prepare(`UPDATE outbox SET fanned_out_at = NULL WHERE id = ?`).run(id);
      db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ?`).run(now, id);
    }
    return targets.length;
  }).immediate();
}

/** Gives up on these rows for every sink; the delivery rows keep the record that they were dropped and by whom. */
export function dropOutbox(db: Db, ids: readonly number[], actor: string, now = Date.now()): number {
  return db.transaction(() => {
    let changed = 0;
    for (const id of ids) {
      const row = db.prepare(`SELECT status FROM outbox WHERE id = ?`).get(id) as { status: string } | undefined;
      if (!row || row.status === 'delivered') continue;
      db.prepare(`UPDATE notify_deliveries SET status = 'dropped', last_error = ? WHERE outbox_id = ? AND status IN ('pending','dead')`).run(`dropped by ${actor}`, id);
      db.prepare(`UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = ? WHERE id = ?`).run(now, `dropped by ${actor}`, id);
      changed += 1;
    }
    return changed;
  }).immediate();
}
