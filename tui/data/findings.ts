import type { Severity } from '../../src/check-api/types.js';
import type { Decision, FindingStatus } from '../../src/findings/lifecycle.js';
import type { Db } from '../../src/store/db.js';
import { SEVERITY_RANK_SQL } from '../../src/store/migrations/004-tui.js';
import type { FindingQuery, ShownStatus, StatusWord } from './finding-query.js';

export const FINDING_SORTS = ['severity', 'age', 'check'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

/** One line of the findings list: only the columns a row shows, so a window of 40 rows stays a few KB. */
export interface FindingListRow {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly resourceId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly shownStatus: ShownStatus;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** Each order is a key the migration's indexes can walk, ending in rowid so equal rows keep one order. */
const ORDER: Record<FindingSort, { readonly index: string; readonly sql: string; readonly key: string; readonly keyDirections: readonly ('asc' | 'desc')[] }> = {
  severity: { index: 'findings_tui_severity', sql: `${SEVERITY_RANK_SQL} DESC, first_seen, rowid`, key: `${SEVERITY_RANK_SQL}, first_seen, rowid`, keyDirections: ['desc', 'asc', 'asc'] },
  age: { index: 'findings_tui_age', sql: `first_seen, rowid`, key: `first_seen, rowid`, keyDirections: ['asc', 'asc'] },
  check: { index: 'findings_tui_check', sql: `check_id, ${SEVERITY_RANK_SQL} DESC, first_seen, rowid`, key: `check_id, ${SEVERITY_RANK_SQL}, first_seen, rowid`, keyDirections: ['asc', 'desc', 'asc', 'asc'] },
};

/** A decision still in force: an accepted risk whose date has passed counts as no decision (it alerts again). */
const DECISION_IN_FORCE = `(decision IS NOT NULL AND NOT (decision = 'accepted' AND decision_until IS NOT NULL AND decision_until <= @now))`;

/** The status a row shows: resolved wins, then a decision in force, then the lifecycle status. */
export const SHOWN_STATUS_SQL = `(CASE WHEN status = 'resolved' THEN 'resolved' WHEN ${DECISION_IN_FORCE} THEN decision ELSE status END)`;

interface Where {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

export function whereFor(query: FindingQuery, now: number): Where {
  const parts: string[] = [];
  const params: Record<string, unknown> = { now };
  let n = 0;
  const bind = (value: unknown) => {
    n += 1;
    params[`p${n}`] = value;
    return `@p${n}`;
  };
  for (const clause of query.clauses) {
    let sql: string;
    switch (clause.field) {
      case 'severity':
        sql = `severity IN (${clause.values.map(bind).join(', ')})`;
        break;
      case 'status':
        sql = `(${clause.values.map((value) => statusSql(value, bind)).join(' OR ')})`;
        break;
      case 'check':
        sql = `(${clause.patterns.map((pattern) => checkSql(pattern, bind)).join(' OR ')})`;
        break;
      case 'text': {
        const like = bind(`%${escapeLike(clause.value)}%`);
        sql = `(title LIKE ${like} ESCAPE '\\' OR resource_id LIKE ${like} ESCAPE '\\' OR check_id LIKE ${like} ESCAPE '\\')`;
        break;
      }
    }
    parts.push(clause.negate ? `NOT ${sql}` : sql);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function statusSql(word: StatusWord, bind: (value: unknown) => string): string {
  switch (word) {
    case 'active':
      return `(status IN ('new','open','reopened') AND NOT ${DECISION_IN_FORCE})`;
    case 'resolved':
      return `status = 'resolved'`;
    case 'new':
    case 'open':
    case 'reopened':
      return `(status = ${bind(word)} AND NOT ${DECISION_IN_FORCE})`;
    default:
      return `(status <> 'resolved' AND decision = ${bind(word satisfies Decision)} AND ${DECISION_IN_FORCE})`;
  }
}

function checkSql(pattern: string, bind: (value: unknown) => string): string {
  if (pattern.includes('*')) return `check_id LIKE ${bind(escapeLike(pattern).replaceAll('*', '%'))} ESCAPE '\\'`;
  return `(check_id = ${bind(pattern)} OR check_id LIKE ${bind(`${escapeLike(pattern)}.%`)} ESCAPE '\\')`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Below this many matches, filtering first and sorting after beats walking an index in sort order (bench/tui.js). */
const SORT_AFTER_FILTER_BELOW = 5000;

function unindexed(orderSql: string): string {
  return orderSql
    .split(/,(?![^(]*\))/)
    .map((term) => `+${term.trim()}`)
    .join(', ');
}

const LIST_COLUMNS = `fingerprint, check_id, resource_id, title, severity, ${SHOWN_STATUS_SQL} AS shown_status, first_seen, last_seen`;

interface RawListRow {
  fingerprint: string;
  check_id: string;
  resource_id: string;
  title: string;
  severity: Severity;
  shown_status: ShownStatus;
  first_seen: number;
  last_seen: number;
}

/**
 * Findings queries for a window of the list. Statements are prepared once per distinct SQL text and reused: a
 * keystroke in the filter costs two statement executions, never a re-prepare of something seen before.
 */
export class FindingsQueries {
  readonly #db: Db;
  readonly #statements = new Map<string, ReturnType<Db['prepare']>>();
  /** Ledgers opened read-only may predate migration 004 and lack the sort indexes; then SQLite picks its own plan. */
  readonly #sortIndexes: ReadonlySet<string>;

  constructor(db: Db) {
    this.#db = db;
    this.#sortIndexes = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'findings'`).all() as { name: string }[]).map((row) => row.name));
  }

  /**
   * Counts matches but stops after `cap + 1`: a dense filter (60k open findings) then costs a tenth of a full count.
   * The screen shows "10,000+" at once and asks for the exact count when the typing pauses.
   */
  countUpTo(query: FindingQuery, now: number, cap: number): number {
    const where = whereFor(query, now);
    return (this.#prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM findings ${where.sql} LIMIT @cap)`).get({ ...where.params, cap: cap + 1 }) as { n: number }).n;
  }

  count(query: FindingQuery, now: number): number {
    const where = whereFor(query, now);
    return (this.#prepare(`SELECT count(*) AS n FROM findings ${where.sql}`).get(where.params) as { n: number }).n;
  }

  /**
   * `matching` is the count for the same query. When few rows match, walking the sort index would visit all 100k rows
   * to find them, so the order terms are made unindexable (unary `+`, a no-op that hides a column from the planner) and SQLite filters first, then sorts the few. When
   * many match, the sort index is forced: SQLite would otherwise filter through a covering index and sort 80k rows.
   */
  page(query: FindingQuery, sort: FindingSort, offset: number, limit: number, now: number, matching?: number): FindingListRow[] {
    const where = whereFor(query, now);
    const few = matching !== undefined && matching <= SORT_AFTER_FILTER_BELOW;
    const order = few ? unindexed(ORDER[sort].sql) : ORDER[sort].sql;
    const indexed = !few && this.#sortIndexes.has(ORDER[sort].index) ? ` INDEXED BY ${ORDER[sort].index}` : '';
    const rows = this.#prepare(`SELECT ${LIST_COLUMNS} FROM findings${indexed} ${where.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all({
      ...where.params,
      limit: Math.max(0, Math.floor(limit)),
      offset: Math.max(0, Math.floor(offset)),
    }) as RawListRow[];
    return rows.map((row) => ({
      fingerprint: row.fingerprint,
      checkId: row.check_id,
      resourceId: row.resource_id,
      title: row.title,
      severity: row.severity,
      shownStatus: row.shown_status,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
    }));
  }

  /**
   * Where a finding sits in the filtered, sorted list, or undefined when the filter no longer matches it. Used after a
   * live refresh so the cursor stays on the same finding while rows arrive above it.
   */
  position(query: FindingQuery, sort: FindingSort, fingerprint: string, now: number): number | undefined {
    const where = whereFor(query, now);
    const order = ORDER[sort];
    const key = this.#prepare(`SELECT ${order.key.split(', ').map((part, i) => `${part} AS k${i}`).join(', ')} FROM findings ${where.sql ? `${where.sql} AND` : 'WHERE'} fingerprint = @fingerprint`).get({
      ...where.params,
      fingerprint,
    }) as Record<string, unknown> | undefined;
    if (!key) return undefined;
    // "Sorts before the key" for a mixed-direction order, written out as the usual lexicographic OR-chain.
    const parts = order.key.split(', ');
    const before: string[] = [];
    const keyParams: Record<string, unknown> = {};
    parts.forEach((part, i) => {
      keyParams[`k${i}`] = key[`k${i}`];
      const equal = parts.slice(0, i).map((prefix, j) => `${prefix} = @k${j}`);
      const op = order.keyDirections[i] === 'desc' ? '>' : '<';
      before.push(`(${[...equal, `${part} ${op} @k${i}`].join(' AND ')})`);
    });
    const sql = `SELECT count(*) AS n FROM findings ${where.sql ? `${where.sql} AND` : 'WHERE'} (${before.join(' OR ')})`;
    return (this.#prepare(sql).get({ ...where.params, ...keyParams }) as { n: number }).n;
  }

  #prepare(sql: string): ReturnType<Db['prepare']> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size > 200) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

export type { FindingStatus };
