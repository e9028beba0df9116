import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { severityRank, type Severity } from '../../src/check-api/types.js';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import { openStore, type Db } from '../../src/store/db.js';
import { parseFindingQuery, type FindingQuery, type ShownStatus } from '../../tui/data/finding-query.js';
import { findingDetail } from '../../tui/data/finding-detail.js';
import { ticketGroupKey } from '../../src/tickets/jira-sync.js';
import { FindingsQueries, phraseQuery, type FindingSort } from '../../tui/data/findings.js';
import { rebuildFindingsText } from '../../src/store/migrations/011-findings-list.js';
import { pruneStore } from '../../src/store/prune.js';
import { recordRun } from '../../src/store/record-run.js';
import type { RunResult } from '../../src/runs/run-result.js';
import { FIXTURE_NOW, seedBulkFindings, seedSmallPosture } from '../../tui/examples/fixture.js';

interface OracleRow {
  rowid: number;
  fingerprint: string;
  check_id: string;
  resource_id: string;
  title: string;
  severity: Severity;
  status: string;
  decision: string | null;
  decision_until: number | null;
  first_seen: number;
}

function shown(row: OracleRow, now: number): ShownStatus {
  if (row.status === 'resolved') return 'resolved';
  const inForce = row.decision !== null && !(row.decision === 'accepted' && row.decision_until !== null && row.decision_until <= now);
  return (inForce ? row.decision : row.status) as ShownStatus;
}

function globMatch(pattern: string, id: string): boolean {
  if (pattern.includes('*')) return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(id);
  return id === pattern || id.startsWith(`${pattern}.`);
}

/** The query language evaluated in plain JS over every row: what SQLite must agree with. */
function oracle(rows: readonly OracleRow[], query: FindingQuery, sort: FindingSort, now: number): OracleRow[] {
  const matches = rows.filter((row) =>
    query.clauses.every((clause) => {
      let hit: boolean;
      switch (clause.field) {
        case 'severity':
          hit = clause.values.includes(row.severity);
          break;
        case 'status':
          hit = clause.values.some((value) => (value === 'active' ? ['new', 'open', 'reopened'].includes(shown(row, now)) : shown(row, now) === value));
          break;
        case 'check':
          hit = clause.patterns.some((pattern) => globMatch(pattern, row.check_id));
          break;
        case 'text': {
          const needle = clause.value.toLowerCase();
          hit = [row.title, row.resource_id, row.check_id].some((text) => text.toLowerCase().includes(needle));
          break;
        }
      }
      return clause.negate ? !hit : hit;
    }),
  );
  // The list's total orders (migration 011's index keys, then rowid): SQLite sorts NULL first, strings bytewise.
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const byRank = (a: OracleRow, b: OracleRow) => severityRank(b.severity) - severityRank(a.severity);
  const rest = (a: OracleRow, b: OracleRow) => cmp(a.status, b.status) || cmp(a.decision, b.decision) || cmp(a.decision_until, b.decision_until) || a.rowid - b.rowid;
  const compare: Record<FindingSort, (a: OracleRow, b: OracleRow) => number> = {
    severity: (a, b) => byRank(a, b) || a.first_seen - b.first_seen || cmp(a.check_id, b.check_id) || rest(a, b),
    age: (a, b) => a.first_seen - b.first_seen || byRank(a, b) || cmp(a.check_id, b.check_id) || rest(a, b),
    check: (a, b) => cmp(a.check_id, b.check_id) || byRank(a, b) || a.first_seen - b.first_seen || rest(a, b),
  };
  return matches.sort(compare[sort]);
}

describe('findings queries against a real ledger', () => {
  let dir: string;
  let db: Db;
  let rows: OracleRow[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tui-data-'));
    db = openStore(join(dir, 'ledger.db'));
    seedBulkFindings(db, 6000);
    rows = db.prepare('SELECT rowid, * FROM findings').all() as OracleRow[];
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const QUERIES = [
    '',
    'status:active',
    'sev:high status:open',
    'sev:>=medium check:aws.* -status:resolved',
    'check:k8s,ports status:fp,muted,accepted',
    // Check prefixes as index ranges: an exact id, a prefix glob, upper case, a prefix that matches nothing.
    'check:dns.dangling-cname',
    'check:AWS.S3* sev:high',
    'check:aw',
    'check:ports.unexpected-open.*',
    'bucket -public',
    'status:reopened sev:critical',
    'check:*.iam.* token',
    'nothing-matches-this',
    // Text through the trigram index: a phrase across a space, mixed case, a negated phrase, a term inside ids.
    '"ken s" sev:high,low',
    'BUCKET "is stale"',
    'k8s:ro',
    // Below three characters the trigram index cannot answer; LIKE does.
    'to status:new',
    '-ck status:new',
  ];

  test.each(QUERIES)('%s: count, every sort order and the cursor position agree with a plain JS filter', (text) => {
    const parsed = parseFindingQuery(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const queries = new FindingsQueries(db);
    const count = queries.count(parsed.query, FIXTURE_NOW);
    for (const sort of ['severity', 'age', 'check'] as const) {
      const expected = oracle(rows, parsed.query, sort, FIXTURE_NOW);
      expect(count).toBe(expected.length);
      const middle = Math.max(0, Math.floor(expected.length / 2) - 5);
      // The last window and one straddling the middle are read from the far end of the index.
      for (const offset of [0, middle, Math.max(0, expected.length - 10), Math.max(0, middle + 7)]) {
        const page = queries.page(parsed.query, sort, offset, 10, FIXTURE_NOW, { count, exact: true });
        expect(page.map((row) => row.fingerprint)).toEqual(expected.slice(offset, offset + 10).map((row) => row.fingerprint));
        for (const row of page) expect(row.shownStatus).toBe(shown(expected.find((e) => e.fingerprint === row.fingerprint)!, FIXTURE_NOW));
      }
      // Few matches: their rowids come back with the capped count, and the window is read from them.
      const matches = queries.matchesUpTo(parsed.query, FIXTURE_NOW, 100);
      expect([matches.count, matches.exact]).toEqual(count <= 100 ? [count, true] : [101, false]);
      if (matches.exact) {
        expect(matches.rowids).toHaveLength(count);
        for (const offset of [0, Math.max(0, count - 10)]) {
          expect(queries.page(parsed.query, sort, offset, 10, FIXTURE_NOW, matches).map((row) => row.fingerprint)).toEqual(expected.slice(offset, offset + 10).map((row) => row.fingerprint));
        }
      }
      // A capped count (not exact) never reverses: the same rows come back walking forward.
      expect(queries.page(parsed.query, sort, middle + 7, 10, FIXTURE_NOW, { count: Math.min(count, 50), exact: false }).map((row) => row.fingerprint)).toEqual(
        expected.slice(middle + 7, middle + 17).map((row) => row.fingerprint),
      );
      // The page without the count (index walk) returns the same rows as the filter-then-sort plan.
      expect(queries.page(parsed.query, sort, 0, 10, FIXTURE_NOW).map((row) => row.fingerprint)).toEqual(expected.slice(0, 10).map((row) => row.fingerprint));
      const probe = expected[Math.floor(expected.length / 3)];
      if (probe) expect(queries.position(parsed.query, sort, probe.fingerprint, FIXTURE_NOW)).toBe(expected.indexOf(probe));
    }
    if (['nothing-matches-this', 'check:aw', 'check:ports.unexpected-open.*'].includes(text)) expect(count).toBe(0);
    else expect(count).toBeGreaterThan(0);
  });

  test('position is undefined for a finding the filter excludes', () => {
    const queries = new FindingsQueries(db);
    const resolved = rows.find((row) => row.status === 'resolved')!;
    const parsed = parseFindingQuery('status:active');
    expect(parsed.ok && queries.position(parsed.query, 'severity', resolved.fingerprint, FIXTURE_NOW)).toBeUndefined();
  });

  test('an accepted risk whose date passed shows its lifecycle status again', () => {
    const accepted = rows.find((row) => row.decision === 'accepted')!;
    const queries = new FindingsQueries(db);
    const parsed = parseFindingQuery(`status:accepted "${accepted.resource_id}"`);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(queries.count(parsed.query, FIXTURE_NOW)).toBe(1);
    expect(queries.count(parsed.query, accepted.decision_until! + 1)).toBe(0);
  });
});

describe('the findings text index (migration 011) follows the ledger', () => {
  const textCount = (db: Db, text: string) => {
    const parsed = parseFindingQuery(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return new FindingsQueries(db).count(parsed.query, FIXTURE_NOW);
  };

  test('runs that add, retitle and resolve findings, prune with VACUUM, and a rebuild keep text search exact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-text-'));
    const db = openStore(join(dir, 'ledger.db'));
    try {
      expect(new FindingsQueries(db).capabilities.textIndex).toBe(true);
      const at = FIXTURE_NOW - 40 * 86_400_000;
      const run = (id: string, when: number, titles: Record<string, string>): RunResult => ({
        runId: id,
        checkId: 'ports.unexpected-open',
        targetId: 'lab',
        trigger: 'manual',
        outcome: 'ok',
        startedAt: when,
        finishedAt: when + 1000,
        coverage: { ok: ['lab'], failed: [] },
        findings: Object.entries(titles).map(([resourceId, title]) => ({ resourceId, title, severity: 'high' as const, evidence: {} })),
        cursorWrites: {},
      });
      recordRun(db, run('r1', at, { 'h1:22': 'Telnet banner on h1', 'h2:23': 'Gopher service on h2' }), at);
      expect([textCount(db, 'telnet'), textCount(db, 'gopher'), textCount(db, 'h2:23')]).toEqual([1, 1, 1]);
      // The same finding retitled by a later run: the old words stop matching, the new ones match.
      recordRun(db, run('r2', at + 1000, { 'h1:22': 'SSH banner on h1', 'h2:23': 'Gopher service on h2' }), at + 1000);
      expect([textCount(db, 'telnet'), textCount(db, 'ssh banner')]).toEqual([0, 1]);
      // h2 resolves, then is pruned: deleted rows leave the index too.
      recordRun(db, run('r3', at + 2000, { 'h1:22': 'SSH banner on h1' }), at + 2000);
      expect(textCount(db, 'gopher')).toBe(1);
      expect(pruneStore(db, 1, FIXTURE_NOW).findings).toBe(1);
      expect(textCount(db, 'gopher')).toBe(0);
      // VACUUM may renumber rowids; the prune command rebuilds the index after it, as done here.
      seedBulkFindings(db, 300);
      db.exec('VACUUM');
      rebuildFindingsText(db);
      const all = db.prepare(`SELECT title FROM findings`).pluck().all() as string[];
      const word = all.find((title) => title.includes('lambda'))!.split(' ')[1]!;
      expect(textCount(db, `"${word}"`)).toBe(all.filter((title) => title.includes(word)).length);
      // FTS5's own check of the index against the findings table (it throws on any mismatch).
      expect(() => db.exec(`INSERT INTO findings_text(findings_text, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a ledger opened read-only before migration 011 answers text filters with LIKE, same results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-pre011-'));
    const path = join(dir, 'ledger.db');
    try {
      const writer = openStore(path, { migrateTo: 5 });
      seedBulkFindings(writer, 500);
      writer.close();
      const old = openStore(path, { readonly: true });
      const queries = new FindingsQueries(old);
      expect(queries.capabilities.textIndex).toBe(false);
      const parsed = parseFindingQuery('token sev:>=medium');
      if (!parsed.ok) throw new Error(parsed.error);
      const beforeCount = queries.count(parsed.query, FIXTURE_NOW);
      const before = new Set(queries.page(parsed.query, 'severity', 0, beforeCount, FIXTURE_NOW).map((row) => row.fingerprint));
      old.close();
      const upgraded = openStore(path);
      try {
        const current = new FindingsQueries(upgraded);
        expect(current.capabilities.textIndex).toBe(true);
        expect(beforeCount).toBeGreaterThan(20);
        expect(current.count(parsed.query, FIXTURE_NOW)).toBe(beforeCount);
        // Same members; the order differs only where 004's and 011's tie-breaks differ, so compare as sets.
        expect(new Set(current.page(parsed.query, 'severity', 0, beforeCount, FIXTURE_NOW).map((row) => row.fingerprint))).toEqual(before);
      } finally {
        upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('phrase queries quote what was typed: quotes and FTS5 operators are text', () => {
    expect(phraseQuery('ab')).toBeUndefined();
    expect(phraseQuery('a"b OR c*')).toBe('"a""b OR c*"');
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-phrase-'));
    const db = openStore(join(dir, 'ledger.db'));
    try {
      seedBulkFindings(db, 50);
      for (const text of ['a"b', 'NOT', 'x* OR y', '(ab', 'col:val']) {
        const parsed = parseFindingQuery(text.includes(':') ? `"${text}"` : text);
        if (!parsed.ok) throw new Error(parsed.error);
        expect(new FindingsQueries(db).count(parsed.query, FIXTURE_NOW)).toBe(0);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findings list query plans at scale', () => {
  test('walking many matches reads a list index in order (no sort), and few text matches come from the trigram index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-plan-'));
    const db = openStore(join(dir, 'ledger.db'));
    try {
      seedBulkFindings(db, 2000);
      const plans: string[] = [];
      const prepare = db.prepare.bind(db);
      // Records the plan of every list query with the parameters it really runs with.
      const spy = Object.assign(Object.create(db) as Db, {
        prepare: (sql: string) => {
          const statement = prepare(sql);
          if (!sql.startsWith('SELECT fingerprint')) return statement;
          const explain = prepare(`EXPLAIN QUERY PLAN ${sql}`);
          return Object.assign(Object.create(statement) as typeof statement, {
            all: (params: Record<string, unknown>) => {
              plans.push((explain.all(params) as { detail: string }[]).map((row) => row.detail).join(' | '));
              return statement.all(params);
            },
          });
        },
      });
      const queries = new FindingsQueries(spy);
      for (const text of ['', 'sev:high', 'sev:>=medium -status:resolved', 'sev:critical,low', 'check:aws.* status:active', 'token']) {
        const parsed = parseFindingQuery(text);
        if (!parsed.ok) throw new Error(parsed.error);
        for (const sort of ['severity', 'age', 'check'] as const) queries.page(parsed.query, sort, 0, 10, FIXTURE_NOW, { count: 1_000_000, exact: false });
      }
      expect(plans).toHaveLength(18);
      for (const plan of plans) {
        expect(plan).toMatch(/USING INDEX findings_list_(severity|age|check)/);
        expect(plan).not.toContain('TEMP B-TREE');
      }
      const parsed = parseFindingQuery('"ken s"');
      if (!parsed.ok) throw new Error(parsed.error);
      plans.length = 0;
      queries.page(parsed.query, 'severity', 0, 10, FIXTURE_NOW, { count: 40, exact: true });
      expect(plans[0]).toContain('findings_text VIRTUAL TABLE');
      expect(plans[0]).toMatch(/SEARCH findings USING INTEGER PRIMARY KEY/);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding detail', () => {
  test('evidence, history with actors, and the Jira ticket the sync linked, with its URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-detail-'));
    const db = openStore(join(dir, 'ledger.db'));
    try {
      seedSmallPosture(db);
      const fingerprint = fingerprintOf('ports.unexpected-open', '10.0.0.5:8080');
      const before = findingDetail(db, fingerprint)!;
      expect(before.ticket).toBeNull();
      expect(before.finding.decision).toBe('muted');
      expect(before.events.map((event) => [event.type, event.actor, event.reason])).toEqual([
        ['new', 'vigil', null],
        ['open', 'vigil', null],
        ['decision_muted', 'alice', 'lab proxy, owned by platform'],
      ]);
      // The ticket sync's own table, under both groupings it may be configured with.
      const link = db.prepare(`INSERT INTO ticket_links (group_key, issue_key, issue_id, label, state, created_at, updated_at) VALUES (?, ?, ?, 'l', ?, 1, ?)`);
      link.run(ticketGroupKey('check-resource', { fingerprint, checkId: 'ports.unexpected-open', resourceId: '10.0.0.5:8080' }), 'SEC-41', '10041', 'done', 1);
      expect(findingDetail(db, fingerprint)!.ticket).toEqual({ key: 'SEC-41', url: null, status: 'done' });
      link.run(fingerprint, 'SEC-42', '10042', 'open', 2);
      expect(findingDetail(db, fingerprint, { ticketBaseUrl: 'https://jira.example.test/' })!.ticket).toEqual({ key: 'SEC-42', url: 'https://jira.example.test/browse/SEC-42', status: 'open' });
      // A create still in flight has no key yet: nothing to link.
      link.run(fingerprintOf('ports.unexpected-open', '10.0.0.5:6379'), null, null, 'creating', 3);
      expect(findingDetail(db, fingerprintOf('ports.unexpected-open', '10.0.0.5:6379'))!.ticket).toBeNull();
      expect(findingDetail(db, 'f'.repeat(64))).toBeUndefined();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ledgers from before migration 004, opened read-only', () => {
  test('every screen query still answers (no heartbeat table, no sort indexes)', async () => {
    const { overview } = await import('../../tui/data/overview.js');
    const { createTuiData } = await import('../../tui/data/source.js');
    const { checkList } = await import('../../tui/data/checks.js');
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-old-'));
    const path = join(dir, 'ledger.db');
    try {
      const writer = openStore(path, { migrateTo: 2 });
      seedSmallPosture(writer);
      writer.close();
      const db = openStore(path, { readonly: true });
      try {
        expect(overview(db, FIXTURE_NOW).daemon).toEqual({ alive: false, beatAt: null });
        expect(checkList(db, [], FIXTURE_NOW).map((row) => row.id)).toContain('ports.unexpected-open');
        const data = createTuiData(db, { catalog: [], dbPath: path });
        const parsed = parseFindingQuery('status:active');
        expect(parsed.ok && data.findings.page(parsed.query, 'severity', 0, 5, FIXTURE_NOW)).toHaveLength(5);
        expect(data.changeStamp(FIXTURE_NOW)).toMatch(/^0:/);
        expect(() => data.runNow('ports.unexpected-open', 'alice', 'why')).toThrow('this ledger predates run requests');
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
