import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/check-api/errors.js';
import { openStore, schemaVersion } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { listFindings } from '../../src/store/queries/findings.js';
import { recordRun } from '../../src/store/record-run.js';
import { portFinding, runResult } from '../builders/run-result.js';
import { useTempDir } from '../builders/temp-dir.js';

const tempDir = useTempDir();
const latest = MIGRATIONS.at(-1)!.version;

describe('migrations', () => {
  it('migrate an empty file to the latest version with WAL on', () => {
    const db = openStore(join(tempDir(), 'new.db'));
    expect(schemaVersion(db)).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'findings', 'finding_events', 'decisions', 'cursors', 'schedule_state', 'outbox']));
    db.close();
  });

  it('are listed in strictly increasing version order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    for (let i = 1; i < versions.length; i++) expect(versions[i]!).toBeGreaterThan(versions[i - 1]!);
  });

  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('upgrade a ledger at version %i to the latest and keep its data', (from) => {
    const file = join(tempDir(), 'old.db');
    const old = openStore(file, { migrateTo: from });
    expect(schemaVersion(old)).toBe(from);
    // Data written with the old schema (runs and findings exist since version 1).
    old.prepare(
      `INSERT INTO findings (fingerprint, check_id, resource_id, scope, target_id, title, severity, status, first_seen, last_seen, first_run_id, last_run_id)
       VALUES ('f1', 'ports.unexpected-open', '10.0.0.1:22', 'host:10.0.0.1', 'lab', 'ssh', 'medium', 'open', 1, 1, 'r0', 'r0')`,
    ).run();
    old.close();
    const upgraded = openStore(file);
    expect(schemaVersion(upgraded)).toBe(latest);
    expect(listFindings(upgraded).map((f) => f.fingerprint)).toEqual(['f1']);
    // And the upgraded ledger works end to end.
    recordRun(upgraded, runResult({ coverage: { ok: ['host:10.0.0.1'], failed: [] }, findings: [portFinding('10.0.0.1', 80)] }), 5);
    expect(listFindings(upgraded).map((f) => f.status).sort()).toEqual(['new', 'resolved']);
    upgraded.close();
  });

  it('re-opening a migrated ledger is a no-op', () => {
    const file = join(tempDir(), 'again.db');
    openStore(file).close();
    const db = openStore(file);
    expect(schemaVersion(db)).toBe(latest);
    db.close();
  });
});

describe('unusable database files give a clear StoreError', () => {
  it('rejects a file that is not SQLite without changing it', () => {
    const file = join(tempDir(), 'notes.db');
    writeFileSync(file, 'this is a text file, not a database\n');
    expect(() => openStore(file)).toThrowError(StoreError);
    expect(() => openStore(file)).toThrowError(/not a SQLite database/);
  });

  it('rejects a corrupt SQLite file', () => {
    const file = join(tempDir(), 'corrupt.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const bytes = Buffer.alloc(8192, 0xab);
    Buffer.from('SQLite format 3\0').copy(bytes);
    writeFileSync(file, bytes);
    expect(() => openStore(file)).toThrowError(/corrupt|not a database|malformed/);
  });

  it('rejects a directory', () => {
    const dir = join(tempDir(), 'dir.db');
    mkdirSync(dir);
    expect(() => openStore(dir)).toThrowError(/directory/);
  });

  it('rejects a ledger from a newer Vigil', () => {
    const file = join(tempDir(), 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => openStore(file)).toThrowError(/newer than this Vigil/);
  });

  it('reports a read-only ledger clearly', () => {
    const dir = tempDir();
    const file = join(dir, 'ro.db');
    openStore(file).close();
    // WAL side files would let root write anyway; a read-only open with a missing file is the portable case.
    expect(() => openStore(join(dir, 'missing.db'), { readonly: true })).toThrowError(StoreError);
    chmodSync(file, 0o444);
    const db = openStore(file, { readonly: true });
    expect(() => db.prepare(`INSERT INTO cursors VALUES ('a','b','c','d',1)`).run()).toThrow(/readonly/i);
    db.close();
  });

  it('reports a locked ledger clearly instead of hanging', () => {
    const file = join(tempDir(), 'locked.db');
    // A ledger that still needs its migrations while another process holds the write lock.
    const holder = new Database(file);
    holder.exec('CREATE TABLE other_tool (x)');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => openStore(file, { busyTimeoutMs: 50 })).toThrowError(/locked/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('migrations landing out of order', () => {
  it('applies a lower-numbered migration that arrived after a higher one', () => {
    const file = join(tempDir(), 'gaps.db');
    const first = [MIGRATIONS[0]!, { version: 5, name: 'five', sql: 'CREATE TABLE five (x);' }];
    openStore(file, { migrations: first }).close();
    const later = [MIGRATIONS[0]!, { version: 3, name: 'three', sql: 'CREATE TABLE three (x);' }, first[1]!];
    const db = openStore(file, { migrations: later });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['three', 'five']));
    expect(schemaVersion(db)).toBe(5);
    db.close();
  });
});
