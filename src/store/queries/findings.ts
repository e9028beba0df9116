import type { Severity } from '../../check-api/types.js';
import { SEVERITIES } from '../../check-api/types.js';
import type { FindingStatus } from '../../findings/lifecycle.js';
import type { Db } from '../db.js';
import { findingFromRaw, type FindingRow, type RawFindingRow } from '../finding-row.js';

export interface FindingFilter {
  readonly statuses?: readonly FindingStatus[];
  /** Minimum severity. */
  readonly minSeverity?: Severity;
  /** Exact check id, or a prefix ending in `*` (`aws.*`). */
  readonly check?: string;
  readonly sinceMs?: number;
  readonly fingerprints?: readonly string[];
  readonly limit?: number;
}

const SEVERITY_ORDER_SQL = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

export function listFindings(db: Db, filter: FindingFilter = {}): FindingRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.statuses?.length) {
    where.push(`status IN (${filter.statuses.map(() => '?').join(',')})`);
    params.push(...filter.statuses);
  }
  if (filter.minSeverity) {
    where.push(`${SEVERITY_ORDER_SQL} >= ?`);
    params.push(SEVERITIES.indexOf(filter.minSeverity));
  }
  if (filter.check) {
    if (filter.check.endsWith('*')) {
      where.push(`check_id LIKE ? ESCAPE '\\'`);
      params.push(filter.check.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
    } else {
      where.push('check_id = ?');
      params.push(filter.check);
    }
  }
  if (filter.sinceMs !== undefined) {
    where.push('last_seen >= ?');
    params.push(filter.sinceMs);
  }
  if (filter.fingerprints) {
    if (filter.fingerprints.length === 0) return [];
    where.push(`fingerprint IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(filter.fingerprints));
  }
  const sql = `SELECT * FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${SEVERITY_ORDER_SQL} DESC, check_id, resource_id, key ${filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''}`;
  return (db.prepare(sql).all(...params) as RawFindingRow[]).map(findingFromRaw);
}

export interface FindingEventRow {
  readonly id: number;
  readonly at: number;
  readonly type: string;
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly runId: string | null;
  readonly details: unknown;
}

export function findingEvents(db: Db, fingerprint: string): FindingEventRow[] {
  return (
    db.prepare('SELECT * FROM finding_events WHERE fingerprint = ? ORDER BY id').all(fingerprint) as {
      id: number;
      at: number;
      type: string;
      from_status: string | null;
      to_status: string | null;
      actor: string;
      reason: string | null;
      run_id: string | null;
      details: string | null;
    }[]
  ).map((row) => ({
    id: row.id,
    at: row.at,
    type: row.type,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actor: row.actor,
    reason: row.reason,
    runId: row.run_id,
    details: row.details ? JSON.parse(row.details) : null,
  }));
}
