import { hostname } from 'node:os';
import type { Db } from './db.js';

/** A daemon whose heartbeat is older than this is treated as gone: "run now" then runs in a child process. */
export const HEARTBEAT_STALE_MS = 10_000;

export type RunRequestStatus = 'pending' | 'dispatched' | 'rejected' | 'child';

export interface RunRequestRow {
  readonly id: number;
  readonly checkId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly requestedAt: number;
  readonly status: RunRequestStatus;
  readonly handledAt: number | null;
  readonly detail: string | null;
}

interface RawRunRequest {
  id: number;
  check_id: string;
  requested_by: string;
  reason: string;
  requested_at: number;
  status: RunRequestStatus;
  handled_at: number | null;
  detail: string | null;
}

function fromRaw(row: RawRunRequest): RunRequestRow {
  return {
    id: row.id,
    checkId: row.check_id,
    requestedBy: row.requested_by,
    reason: row.reason,
    requestedAt: row.requested_at,
    status: row.status,
    handledAt: row.handled_at,
    detail: row.detail,
  };
}

export interface NewRunRequest {
  readonly checkId: string;
  readonly requestedBy: string;
  readonly reason: string;
  /** 'child' when the requester runs it itself because no daemon is alive; the row is then only the record. */
  readonly status?: 'pending' | 'child';
  readonly detail?: string;
}

export function insertRunRequest(db: Db, request: NewRunRequest, now = Date.now()): number {
  const result = db
    .prepare(`INSERT INTO run_requests (check_id, requested_by, reason, requested_at, status, handled_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(request.checkId, request.requestedBy, request.reason, now, request.status ?? 'pending', request.status === 'child' ? now : null, request.detail ?? null);
  return Number(result.lastInsertRowid);
}

/** Takes every pending request and marks it handled in one transaction, so two pollers never dispatch one twice. */
export function claimPendingRunRequests(db: Db, handle: (request: RunRequestRow) => { status: 'dispatched' | 'rejected'; detail: string }, now = Date.now()): RunRequestRow[] {
  return db
    .transaction(() => {
      const pending = (db.prepare(`SELECT * FROM run_requests WHERE status = 'pending' ORDER BY id`).all() as RawRunRequest[]).map(fromRaw);
      const update = db.prepare(`UPDATE run_requests SET status = ?, handled_at = ?, detail = ? WHERE id = ?`);
      for (const request of pending) {
        const outcome = handle(request);
        update.run(outcome.status, now, outcome.detail, request.id);
      }
      return pending;
    })
    .immediate();
}

export function listRunRequests(db: Db, limit = 20): RunRequestRow[] {
  return (db.prepare('SELECT * FROM run_requests ORDER BY id DESC LIMIT ?').all(limit) as RawRunRequest[]).map(fromRaw);
}

export function writeHeartbeat(db: Db, startedAt: number, now = Date.now()): void {
  db.prepare(
    `INSERT INTO daemon_heartbeat (id, pid, host, started_at, beat_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, host = excluded.host, started_at = excluded.started_at, beat_at = excluded.beat_at`,
  ).run(process.pid, hostname(), startedAt, now);
}

export interface Heartbeat {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: number;
  readonly beatAt: number;
}

export function readHeartbeat(db: Db): Heartbeat | undefined {
  const row = db.prepare('SELECT pid, host, started_at, beat_at FROM daemon_heartbeat WHERE id = 1').get() as
    | { pid: number; host: string; started_at: number; beat_at: number }
    | undefined;
  return row ? { pid: row.pid, host: row.host, startedAt: row.started_at, beatAt: row.beat_at } : undefined;
}

export function daemonAlive(heartbeat: Heartbeat | undefined, now = Date.now()): boolean {
  return heartbeat !== undefined && now - heartbeat.beatAt <= HEARTBEAT_STALE_MS;
}
