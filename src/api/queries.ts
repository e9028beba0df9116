import { z } from 'zod';
import { SEVERITIES } from '../check-api/types.js';
import { FINDING_STATUSES } from '../findings/lifecycle.js';
import type { Db } from '../store/db.js';
import { findingFromRaw, type FindingRow, type RawFindingRow } from '../store/finding-row.js';
import type { RunRow } from '../store/queries/runs.js';
import { ApiError } from './http-util.js';

/** Read-only, keyset-paginated views of the ledger for GET /v1/findings and GET /v1/runs. */

const MAX_PAGE = 500;
const ACTIVE = ['new', 'open', 'reopened'] as const;

const limitSchema = z.coerce.number().int().min(1).max(MAX_PAGE).default(50);
const severityOrder = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

export const findingsQuerySchema = z.strictObject({
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [...ACTIVE];
      if (value === 'all') return [...FINDING_STATUSES];
      const list = value.split(',').filter(Boolean);
      for (const s of list) {
        if (!(FINDING_STATUSES as readonly string[]).includes(s)) {
          ctx.addIssue({ code: 'custom', message: `unknown status '${s}' (use ${FINDING_STATUSES.join(', ')} or all)` });
          return z.NEVER;
        }
      }
      return list;
    }),
  severity: z.enum(SEVERITIES).optional(),
  check: z.string().min(1).optional(),
  limit: limitSchema,
  cursor: z.string().optional(),
});

export const runsQuerySchema = z.strictObject({
  check: z.string().min(1).optional(),
  outcome: z.enum(['ok', 'partial', 'failed', 'aborted', 'timeout', 'skipped']).optional(),
  schedule: z.string().min(1).optional(),
  limit: limitSchema,
  cursor: z.string().optional(),
});

export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    throw new ApiError(400, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  return parsed.data;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass as ?cursor= for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError(400, 'cursor: not a cursor this API handed out');
  }
}

/** Findings ordered by fingerprint (stable under concurrent writes: a page never repeats or skips a row). */
export function findingsPage(db: Db, query: z.output<typeof findingsQuerySchema>): Page<FindingRow> {
  const after = decodeCursor(query.cursor, z.string());
  const where: string[] = [`status IN (SELECT value FROM json_each(?))`];
  const params: unknown[] = [JSON.stringify(query.status)];
  if (query.severity) {
    where.push(`${severityOrder} >= ?`);
    params.push(SEVERITIES.indexOf(query.severity));
  }
  if (query.check) {
    if (query.check.endsWith('*')) {
      where.push(`check_id LIKE ? ESCAPE '\\'`);
      params.push(query.check.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
    } else {
      where.push('check_id = ?');
      params.push(query.check);
    }
  }
  if (after !== undefined) {
    where.push('fingerprint > ?');
    params.push(after);
  }
  const rows = db.prepare(`SELECT * FROM findings WHERE ${where.join(' AND ')} ORDER BY fingerprint LIMIT ?`).all(...params, query.limit + 1) as RawFindingRow[];
  const items = rows.slice(0, query.limit).map(findingFromRaw);
  return { items, ...(rows.length > query.limit ? { nextCursor: encodeCursor(items.at(-1)!.fingerprint) } : {}) };
}

/** Runs, newest first, keyed by (started_at, rowid). */
export function runsPage(db: Db, query: z.output<typeof runsQuerySchema>): Page<RunRow> {
  const after = decodeCursor(query.cursor, z.tuple([z.number().int(), z.number().int()]));
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.check) {
    where.push('check_id = ?');
    params.push(query.check);
  }
  if (query.outcome) {
    where.push('outcome = ?');
    params.push(query.outcome);
  }
  if (query.schedule) {
    where.push('schedule_id = ?');
    params.push(query.schedule);
  }
  if (after) {
    where.push('(started_at < ? OR (started_at = ? AND rowid < ?))');
    params.push(after[0], after[0], after[1]);
  }
  const rows = db
    .prepare(`SELECT rowid AS rid, * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
    .all(...params, query.limit + 1) as RawRunRow[];
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(runFromRaw), ...(rows.length > query.limit && last ? { nextCursor: encodeCursor([last.started_at, last.rid]) } : {}) };
}

interface RawRunRow {
  rid: number;
  id: string;
  check_id: string;
  target_id: string;
  trigger: string;
  schedule_id: string | null;
  slot: number | null;
  outcome: RunRow['outcome'];
  skip_reason: string | null;
  skip_count: number;
  started_at: number;
  finished_at: number;
  error: string | null;
  coverage: string;
  findings_seen: number;
  findings_new: number;
  findings_reopened: number;
  findings_resolved: number;
}

/** Same shape as the store's listRuns rows (and `audit runs --format json`). */
function runFromRaw(row: RawRunRow): RunRow {
  return {
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
    coverage: JSON.parse(row.coverage) as RunRow['coverage'],
    findingsSeen: row.findings_seen,
    findingsNew: row.findings_new,
    findingsReopened: row.findings_reopened,
    findingsResolved: row.findings_resolved,
  };
}
