import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { severityRank, type Severity } from '../../src/check-api/types.js';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import { openStore, type Db } from '../../src/store/db.js';
import { parseFindingQuery, type FindingQuery, type ShownStatus } from '../../tui/data/finding-query.js';
import { findingDetail } from '../../tui/data/finding-detail.js';
import { FindingsQueries, type FindingSort } from '../../tui/data/findings.js';
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
  const bySeverity = (a: OracleRow, b: OracleRow) => severityRank(b.severity) - severityRank(a.severity);
  const byAge = (a: OracleRow, b: OracleRow) => a.first_seen - b.first_seen || a.rowid - b.rowid;
  const compare: Record<FindingSort, (a: OracleRow, b: OracleRow) => number> = {
    severity: (a, b) => bySeverity(a, b) || byAge(a, b),
    age: byAge,
    check: (a, b) => (a.check_id < b.check_id ? -1 : a.check_id > b.check_id ? 1 : 0) || bySeverity(a, b) || byAge(a, b),
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
    'bucket -public',
    'status:reopened sev:critical',
    'check:*.iam.* token',
    'nothing-matches-this',
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
      for (const offset of [0, middle]) {
        const page = queries.page(parsed.query, sort, offset, 10, FIXTURE_NOW, count);
        expect(page.map((row) => row.fingerprint)).toEqual(expected.slice(offset, offset + 10).map((row) => row.fingerprint));
        for (const row of page) expect(row.shownStatus).toBe(shown(expected.find((e) => e.fingerprint === row.fingerprint)!, FIXTURE_NOW));
      }
      // The page without the count (index walk) returns the same rows as the filter-then-sort plan.
      expect(queries.page(parsed.query, sort, 0, 10, FIXTURE_NOW).map((row) => row.fingerprint)).toEqual(expected.slice(0, 10).map((row) => row.fingerprint));
      const probe = expected[Math.floor(expected.length / 3)];
      if (probe) expect(queries.position(parsed.query, sort, probe.fingerprint, FIXTURE_NOW)).toBe(expected.indexOf(probe));
    }
    if (text === 'nothing-matches-this') expect(count).toBe(0);
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

describe('finding detail', () => {
  test('evidence, history with actors, and a ticket found by table shape', () => {
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
      db.exec(`CREATE TABLE finding_tickets (fingerprint TEXT, issue_key TEXT, url TEXT, status TEXT)`);
      db.prepare(`INSERT INTO finding_tickets VALUES (?, 'SEC-42', 'https://jira.example.test/browse/SEC-42', 'In Progress')`).run(fingerprint);
      expect(findingDetail(db, fingerprint)!.ticket).toEqual({ key: 'SEC-42', url: 'https://jira.example.test/browse/SEC-42', status: 'In Progress' });
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
