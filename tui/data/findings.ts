import { severityRank, type Severity } from '../../src/check-api/types.js';
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

/**
 * Each order is the full key of its list index (migration 011) and then rowid, so walking the index yields rows in
 * exactly this order and SQLite never sorts. Ties on the leading terms are common (one run stamps all its findings
 * with the same first_seen), so they break by severity and check before the bookkeeping columns.
 */
interface OrderTerm {
  readonly expr: string;
  readonly desc?: boolean;
}
const FILTER_TERMS: readonly OrderTerm[] = [{ expr: 'status' }, { expr: 'decision' }, { expr: 'decision_until' }, { expr: 'rowid' }];
const RANK: OrderTerm = { expr: SEVERITY_RANK_SQL, desc: true };
const ORDER: Record<FindingSort, { readonly index: string; readonly terms: readonly OrderTerm[] }> = {
  severity: { index: 'findings_list_severity', terms: [RANK, { expr: 'first_seen' }, { expr: 'check_id' }, ...FILTER_TERMS] },
  age: { index: 'findings_list_age', terms: [{ expr: 'first_seen' }, RANK, { expr: 'check_id' }, ...FILTER_TERMS] },
  check: { index: 'findings_list_check', terms: [{ expr: 'check_id' }, RANK, { expr: 'first_seen' }, ...FILTER_TERMS] },
};

/**
 * "Sorts before the value in `param`" for one order term, as SQLite orders NULL (first ascending, last descending); the
 * value's nullness is known when the statement is built, so no OR is needed where the column is never NULL. Undefined
 * when nothing can sort before it.
 */
function sortsBefore(term: OrderTerm, param: string, valueIsNull: boolean): string | undefined {
  if (term.desc) return valueIsNull ? `${term.expr} IS NOT NULL` : `${term.expr} > ${param}`;
  if (valueIsNull) return undefined;
  return NULLABLE.has(term.expr) ? `(${term.expr} IS NULL OR ${term.expr} < ${param})` : `${term.expr} < ${param}`;
}

const NULLABLE = new Set(['decision', 'decision_until']);

function orderSql(terms: readonly OrderTerm[], options: { reverse?: boolean; unindexed?: boolean } = {}): string {
  return terms
    .map((term) => `${options.unindexed ? '+' : ''}${term.expr}${Boolean(term.desc) !== Boolean(options.reverse) ? ' DESC' : ''}`)
    .join(', ');
}

/** A decision still in force: an accepted risk whose date has passed counts as no decision (it alerts again). */
const DECISION_IN_FORCE = `(decision IS NOT NULL AND NOT (decision = 'accepted' AND decision_until IS NOT NULL AND decision_until <= @now))`;

/** The status a row shows: resolved wins, then a decision in force, then the lifecycle status. */
export const SHOWN_STATUS_SQL = `(CASE WHEN status = 'resolved' THEN 'resolved' WHEN ${DECISION_IN_FORCE} THEN decision ELSE status END)`;

interface Where {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

/** What this ledger offers the list: ledgers opened read-only may predate migration 011 and lack both. */
export interface ListCapabilities {
  /** The trigram index `findings_text`; without it a text term is a LIKE over every row. */
  readonly textIndex: boolean;
  readonly listIndexes: ReadonlySet<string>;
}

const NO_CAPABILITIES: ListCapabilities = { textIndex: false, listIndexes: new Set() };

export function whereFor(query: FindingQuery, now: number, capabilities: ListCapabilities = NO_CAPABILITIES): Where {
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
        sql = severitySql(clause.values, bind);
        break;
      case 'status':
        sql = `(${clause.values.map((value) => statusSql(value, bind)).join(' OR ')})`;
        break;
      case 'check':
        sql = `(${clause.patterns.map((pattern) => checkSql(pattern, bind)).join(' OR ')})`;
        break;
      case 'text': {
        const phrase = capabilities.textIndex ? phraseQuery(clause.value) : undefined;
        if (phrase) {
          sql = `rowid IN (SELECT rowid FROM findings_text WHERE findings_text MATCH ${bind(phrase)})`;
        } else {
          const like = bind(`%${escapeLike(clause.value)}%`);
          sql = `(title LIKE ${like} ESCAPE '\\' OR resource_id LIKE ${like} ESCAPE '\\' OR check_id LIKE ${like} ESCAPE '\\')`;
        }
        break;
      }
    }
    parts.push(clause.negate ? `NOT ${sql}` : sql);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * The text term as an FTS5 phrase for the trigram index: an exact substring match, case-insensitive. Undefined below
 * three characters, which a trigram index cannot look up; a LIKE over the rows answers those. The phrase is quoted,
 * so quotes, colons and operators someone typed are data, never FTS5 syntax.
 */
export function phraseQuery(text: string): string | undefined {
  if (Array.from(text).length < 3) return undefined;
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * Severity as the rank the list indexes lead with, so `sev:high` seeks instead of scanning. A contiguous run of ranks
 * is written as BETWEEN: with `rank = ?` SQLite 3.53 stops using the expression index for the ORDER BY and sorts.
 */
function severitySql(values: readonly Severity[], bind: (value: unknown) => string): string {
  const ranks = [...new Set(values.map(severityRank))].sort((a, b) => a - b);
  const contiguous = ranks.every((rank, i) => i === 0 || rank === ranks[i - 1]! + 1);
  if (contiguous) return `${SEVERITY_RANK_SQL} BETWEEN ${bind(ranks[0])} AND ${bind(ranks.at(-1))}`;
  return `${SEVERITY_RANK_SQL} IN (${ranks.map(bind).join(', ')})`;
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

/**
 * Check ids are lowercase dotted names, so `check:aws` and `check:aws.s3*` become ranges on check_id that the list
 * index for the check order can seek (a LIKE never uses it: SQLite's LIKE is case-insensitive, the index is not). Only a
 * `*` before the end (`*.iam.*`) needs the LIKE scan.
 */
function checkSql(pattern: string, bind: (value: unknown) => string): string {
  const lower = pattern.toLowerCase();
  const star = lower.indexOf('*');
  if (star === -1) return `(check_id = ${bind(lower)} OR ${prefixRange(`${lower}.`, bind)})`;
  if (star === lower.length - 1 && star > 0) return prefixRange(lower.slice(0, -1), bind);
  return `check_id LIKE ${bind(escapeLike(lower).replaceAll('*', '%'))} ESCAPE '\\'`;
}

/** Every id that starts with `prefix`: from the prefix up to the prefix with its last character bumped by one. */
function prefixRange(prefix: string, bind: (value: unknown) => string): string {
  const next = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
  return `(check_id >= ${bind(prefix)} AND check_id < ${bind(next)})`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Below this many matches, filtering first and sorting after beats walking an index in sort order (bench/tui.js). */
const SORT_AFTER_FILTER_BELOW = 5000;

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

/** How much the caller knows about the number of matches, from `matchesUpTo` or `count` for the same query. */
export interface MatchCount {
  readonly count: number;
  /** False when `count` is a floor (the capped count stopped early). */
  readonly exact: boolean;
  /** Every matching rowid, when `matchesUpTo` found few enough to return them: the page is then read by rowid. */
  readonly rowids?: readonly number[];
}

/**
 * Findings queries for a window of the list. Statements are prepared once per distinct SQL text and reused: a
 * keystroke in the filter costs two statement executions, never a re-prepare of something seen before.
 */
export class FindingsQueries {
  readonly #db: Db;
  readonly #statements = new Map<string, ReturnType<Db['prepare']>>();
  readonly capabilities: ListCapabilities;

  constructor(db: Db) {
    this.#db = db;
    const names = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name IN ('findings', 'findings_text')`).all() as { name: string }[]).map((row) => row.name));
    this.capabilities = { textIndex: names.has('findings_text'), listIndexes: names };
  }

  /**
   * The matches, up to `cap + 1` of them: a dense filter (60k open findings) stops after a few index entries, and the
   * screen shows "1,000+" at once and asks for the exact count when typing pauses. A sparse one (a filter no index
   * narrows scans every row) is scanned once: its rowids come back, and `page` reads the window from them instead
   * of scanning again.
   */
  matchesUpTo(query: FindingQuery, now: number, cap: number): MatchCount {
    const where = whereFor(query, now, this.capabilities);
    const rowids = this.#prepare(`SELECT rowid FROM findings ${where.sql} LIMIT @cap`)
      .pluck()
      .all({ ...where.params, cap: cap + 1 }) as number[];
    return rowids.length > cap ? { count: rowids.length, exact: false } : { count: rowids.length, exact: true, rowids };
  }

  count(query: FindingQuery, now: number): number {
    const where = whereFor(query, now, this.capabilities);
    return (this.#prepare(`SELECT count(*) AS n FROM findings ${where.sql}`).get(where.params) as { n: number }).n;
  }

  /**
   * One window of the list. `matching` is what the caller knows about the count for the same query:
   * - few matches: the order terms are made unindexable (unary `+`, a no-op that hides a column from the planner), so
   *   SQLite finds the few (trigram index, decision index) and sorts them, instead of walking 100k index entries;
   * - many: the list index for this order is forced and walked; it carries the filter columns, so skipped rows cost
   *   an index entry each, and only the returned rows are read from the table;
   * - a window in the second half of an exactly counted list is read from the other end, so `G` costs no more than
   *   `gg` (OFFSET walks every row it skips).
   */
  page(query: FindingQuery, sort: FindingSort, offset: number, limit: number, now: number, matching?: MatchCount): FindingListRow[] {
    const where = whereFor(query, now, this.capabilities);
    const order = ORDER[sort];
    let from = Math.max(0, Math.floor(offset));
    let take = Math.max(0, Math.floor(limit));
    const few = matching !== undefined && matching.exact && matching.count <= SORT_AFTER_FILTER_BELOW;
    const reverse = !few && matching !== undefined && matching.exact && from > matching.count / 2;
    if (reverse) {
      const end = Math.min(from + take, matching.count);
      take = Math.max(0, end - from);
      from = matching.count - end;
    }
    const indexed = !few && this.capabilities.listIndexes.has(order.index) ? ` INDEXED BY ${order.index}` : '';
    const known = few && matching.rowids && matching.rowids.length === matching.count ? matching.rowids : undefined;
    const rows = (known ? this.#byRowid(sort, known, from, take, now) : this.#prepare(
      `SELECT ${LIST_COLUMNS} FROM findings${indexed} ${where.sql} ORDER BY ${orderSql(order.terms, { reverse, unindexed: few })} LIMIT @limit OFFSET @offset`,
    ).all({ ...where.params, limit: take, offset: from })) as RawListRow[];
    if (reverse) rows.reverse();
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
   * live refresh so the cursor stays on the same finding while rows arrive above it. Counts the matches that sort
   * before it as one count per order term (equal on the terms before it, before it on this one): each is a range of
   * the list index, so this costs index entries only, a fifth of numbering the rows with a window function.
   */
  position(query: FindingQuery, sort: FindingSort, fingerprint: string, now: number): number | undefined {
    const where = whereFor(query, now, this.capabilities);
    const order = ORDER[sort];
    const and = where.sql ? `${where.sql} AND` : 'WHERE';
    const keys = this.#prepare(`SELECT ${order.terms.map((term, i) => `${term.expr} AS k${i}`).join(', ')} FROM findings ${and} fingerprint = @fingerprint`).get({
      ...where.params,
      fingerprint,
    }) as Record<string, unknown> | undefined;
    if (!keys) return undefined;
    const indexed = this.capabilities.listIndexes.has(order.index) ? ` INDEXED BY ${order.index}` : '';
    const parts = order.terms.map((term, i) => {
      const equal = order.terms.slice(0, i).map((prefix, j) => `${prefix.expr} IS @k${j}`);
      const before = sortsBefore(term, `@k${i}`, keys[`k${i}`] === null);
      return before === undefined ? undefined : `(SELECT count(*) FROM findings${indexed} ${and} ${[...equal, before].join(' AND ')})`;
    });
    const sql = `SELECT ${parts.filter((part) => part !== undefined).join(' + ') || '0'} AS n`;
    return (this.#prepare(sql).get({ ...where.params, ...Object.fromEntries(Object.entries(keys)) }) as { n: number }).n;
  }

  /** A window of a known set of matches, sorted: a few hundred rowid lookups instead of a second scan. */
  #byRowid(sort: FindingSort, rowids: readonly number[], offset: number, limit: number, now: number): RawListRow[] {
    return this.#prepare(
      `SELECT ${LIST_COLUMNS} FROM findings WHERE rowid IN (SELECT value FROM json_each(@rowids)) ORDER BY ${orderSql(ORDER[sort].terms, { unindexed: true })} LIMIT @limit OFFSET @offset`,
    ).all({ rowids: JSON.stringify(rowids), now, limit, offset }) as RawListRow[];
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
