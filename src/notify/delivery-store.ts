import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';

const statements = new WeakMap<Db, Map<string, Statement>>();

/** Prepared once per connection: the dispatcher runs these queries for every delivery, and preparing dominated. */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** SQL for per-sink delivery state (migration 003). Every state change is one short transaction. */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'dropped';

export interface PlannedDelivery {
  readonly sink: string;
  readonly groupKey: string;
  readonly orderKey: string | null;
  readonly route: string | null;
}

export interface DueDelivery {
  readonly id: number;
  readonly outboxId: number;
  readonly sink: string;
  readonly groupKey: string;
  readonly orderKey: string | null;
  readonly route: string | null;
  readonly attempts: number;
  readonly topic: string;
  readonly runId: string | null;
  readonly eventId: number | null;
  readonly payload: unknown;
}

export interface UnplannedRow {
  readonly id: number;
  readonly topic: string;
  readonly runId: string | null;
  readonly eventId: number | null;
  readonly fingerprint: string | null;
  readonly payload: unknown;
}

export function unplannedOutbox(db: Db, limit: number): UnplannedRow[] {
  const rows = prepared(db, `SELECT id, topic, run_id, event_id, fingerprint, payload FROM outbox WHERE status = 'pending' AND fanned_out_at IS NULL ORDER BY id LIMIT ?`)
    .all(limit) as { id: number; topic: string; run_id: string | null; event_id: number | null; fingerprint: string | null; payload: string }[];
  return rows.map((row) => ({ id: row.id, topic: row.topic, runId: row.run_id, eventId: row.event_id, fingerprint: row.fingerprint, payload: safeJson(row.payload) }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text.slice(0, 200) };
  }
}

/** Records a row's deliveries and marks it fanned out; a row that goes nowhere is done at once. Caller holds the transaction. */
export function recordFanOut(db: Db, outboxId: number, deliveries: readonly PlannedDelivery[], now: number): void {
  const insert = prepared(
      db,
    `INSERT OR IGNORE INTO notify_deliveries (outbox_id, sink, group_key, order_key, route, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const delivery of deliveries) insert.run(outboxId, delivery.sink, delivery.groupKey, delivery.orderKey, delivery.route, now, now);
  if (deliveries.length === 0) {
    prepared(db, `UPDATE outbox SET fanned_out_at = ?, status = 'delivered', delivered_at = ? WHERE id = ?`).run(now, now, outboxId);
  } else {
    prepared(db, `UPDATE outbox SET fanned_out_at = ? WHERE id = ?`).run(now, outboxId);
  }
}

/** An outbox row whose payload cannot be understood: a dead letter with the reason, visible in `audit outbox list`. */
export function markUnroutable(db: Db, outboxId: number, error: string, now: number): void {
  prepared(db, `UPDATE outbox SET fanned_out_at = ?, status = 'dead', last_error = ?, attempts = attempts + 1 WHERE id = ?`).run(now, error, outboxId);
}

const DUE_COLUMNS = `d.id, d.outbox_id, d.sink, d.group_key, d.order_key, d.route, d.attempts, o.topic, o.run_id, o.event_id, o.payload`;

interface RawDue {
  id: number;
  outbox_id: number;
  sink: string;
  group_key: string;
  order_key: string | null;
  route: string | null;
  attempts: number;
  topic: string;
  run_id: string | null;
  event_id: number | null;
  payload: string;
}

function fromRawDue(row: RawDue): DueDelivery {
  return {
    id: row.id,
    outboxId: row.outbox_id,
    sink: row.sink,
    groupKey: row.group_key,
    orderKey: row.order_key,
    route: row.route,
    attempts: row.attempts,
    topic: row.topic,
    runId: row.run_id,
    eventId: row.event_id,
    payload: safeJson(row.payload),
  };
}

/** Digest sinks: whole groups (a run's deliveries for this sink) whose earliest retry time has come. */
export function dueGroups(db: Db, sink: string, now: number, limit: number, exclude: ReadonlySet<string>): DueDelivery[][] {
  const keys = prepared(
      db,
      `SELECT group_key FROM notify_deliveries WHERE sink = ? AND status = 'pending'
       GROUP BY group_key HAVING min(next_attempt_at) <= ? ORDER BY min(id) LIMIT ?`,
    )
    .all(sink, now, limit + exclude.size) as { group_key: string }[];
  const select = prepared(
      db,
    `SELECT ${DUE_COLUMNS} FROM notify_deliveries d JOIN outbox o ON o.id = d.outbox_id
     WHERE d.sink = ? AND d.group_key = ? AND d.status = 'pending' ORDER BY d.id`,
  );
  const groups: DueDelivery[][] = [];
  for (const { group_key: key } of keys) {
    if (exclude.has(key)) continue;
    groups.push((select.all(sink, key) as RawDue[]).map(fromRawDue));
    if (groups.length >= limit) break;
  }
  return groups;
}

/**
 * Event sinks: single deliveries that are due and not behind an earlier pending delivery for the same order key, so a
 * finding's "resolved" never overtakes its "new" (a ticket must exist before it can be closed).
 */
export function dueEvents(db: Db, sink: string, now: number, limit: number, excludeOrderKeys: ReadonlySet<string>, excludeIds: ReadonlySet<number>): DueDelivery[] {
  const rows = prepared(
      db,
      // INDEXED BY: left alone, SQLite picks the next_attempt_at index and sorts every pending row on each call.
      `SELECT ${DUE_COLUMNS} FROM notify_deliveries d INDEXED BY notify_deliveries_due JOIN outbox o ON o.id = d.outbox_id
       WHERE d.sink = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
         AND (d.order_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM notify_deliveries e WHERE e.sink = d.sink AND e.order_key = d.order_key AND e.status = 'pending' AND e.outbox_id < d.outbox_id))
       ORDER BY d.id LIMIT ?`,
    )
    .all(sink, now, limit + excludeIds.size + excludeOrderKeys.size) as RawDue[];
  const picked: DueDelivery[] = [];
  const keys = new Set<string>();
  for (const row of rows) {
    if (excludeIds.has(row.id)) continue;
    if (row.order_key !== null && (excludeOrderKeys.has(row.order_key) || keys.has(row.order_key))) continue;
    if (row.order_key !== null) keys.add(row.order_key);
    picked.push(fromRawDue(row));
    if (picked.length >= limit) break;
  }
  return picked;
}

/** After deliveries change state, an outbox row is delivered once none of its deliveries is pending or dead. */
function settleOutbox(db: Db, outboxIds: Iterable<number>, now: number): void {
  const counts = prepared(
      db,
    `SELECT sum(status = 'pending') AS pending, sum(status = 'dead') AS dead, max(last_error) AS error FROM notify_deliveries WHERE outbox_id = ?`,
  );
  const update = prepared(db, `UPDATE outbox SET status = ?, delivered_at = ?, last_error = ? WHERE id = ?`);
  for (const id of new Set(outboxIds)) {
    const row = counts.get(id) as { pending: number | null; dead: number | null; error: string | null };
    if ((row.pending ?? 0) > 0) update.run('pending', null, row.error, id);
    else if ((row.dead ?? 0) > 0) update.run('dead', null, row.error, id);
    else update.run('delivered', now, null, id);
  }
}

export function markDeliveriesDelivered(db: Db, deliveries: readonly DueDelivery[], now: number): void {
  db.transaction(() => {
    const update = prepared(db, `UPDATE notify_deliveries SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND status = 'pending'`);
    for (const delivery of deliveries) update.run(now, delivery.id);
    settleOutbox(db, deliveries.map((d) => d.outboxId), now);
  }).immediate();
}

export interface FailureOutcome {
  readonly error: string;
  /** 'retry' at nextAttemptAt; 'dead' now; 'throttled' waits for the sink's Retry-After without spending an attempt. */
  readonly kind: 'retry' | 'dead' | 'throttled';
  readonly nextAttemptAt: number;
}

export function markDeliveriesFailed(db: Db, deliveries: readonly DueDelivery[], outcome: FailureOutcome, now: number): void {
  db.transaction(() => {
    const attemptsSql = outcome.kind === 'throttled' ? 'attempts' : 'attempts + 1';
    const update = prepared(
      db,
      `UPDATE notify_deliveries SET attempts = ${attemptsSql}, last_error = ?, next_attempt_at = ?, status = ? WHERE id = ? AND status = 'pending'`,
    );
    for (const delivery of deliveries) update.run(outcome.error, outcome.nextAttemptAt, outcome.kind === 'dead' ? 'dead' : 'pending', delivery.id);
    const touch = prepared(db, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`);
    for (const id of new Set(deliveries.map((d) => d.outboxId))) touch.run(outcome.error, id);
    settleOutbox(db, deliveries.map((d) => d.outboxId), now);
  }).immediate();
}

export function gateSink(db: Db, sink: string, blockedUntil: number, reason: string): void {
  prepared(
      db,
    `INSERT INTO sink_gates (sink, blocked_until, reason) VALUES (?, ?, ?)
     ON CONFLICT (sink) DO UPDATE SET blocked_until = max(sink_gates.blocked_until, excluded.blocked_until), reason = excluded.reason`,
  ).run(sink, blockedUntil, reason);
}

export function sinkBlockedUntil(db: Db, sink: string): number {
  const row = prepared(db, `SELECT blocked_until FROM sink_gates WHERE sink = ?`).get(sink) as { blocked_until: number } | undefined;
  return row?.blocked_until ?? 0;
}

/** Earliest time anything pending becomes due, so an idle dispatcher sleeps exactly as long as it may. */
export function nextDueAt(db: Db): number | null {
  const row = prepared(db, `SELECT min(next_attempt_at) AS at FROM notify_deliveries WHERE status = 'pending'`).get() as { at: number | null };
  return row.at;
}

export function alertStateTouch(db: Db, scope: string, fingerprint: string, now: number): void {
  prepared(
      db,
    `INSERT INTO alert_state (scope, fingerprint, first_alerted_at, last_alerted_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (scope, fingerprint) DO UPDATE SET last_alerted_at = excluded.last_alerted_at`,
  ).run(scope, fingerprint, now, now);
}

export function alertStateHas(db: Db, scope: string, fingerprint: string): boolean {
  return prepared(db, `SELECT 1 FROM alert_state WHERE scope = ? AND fingerprint = ?`).get(scope, fingerprint) !== undefined;
}

export function alertStateClear(db: Db, scope: string, fingerprint: string): void {
  prepared(db, `DELETE FROM alert_state WHERE scope = ? AND fingerprint = ?`).run(scope, fingerprint);
}
