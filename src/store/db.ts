import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError, describeError } from '../check-api/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenStoreOptions {
  /** Open without writing anything: no migrations, no WAL switch. Used by read-only commands and the TUI. */
  readonly readonly?: boolean;
  /** Apply migrations up to this version only (tests of upgrades from every earlier version). */
  readonly migrateTo?: number;
  readonly busyTimeoutMs?: number;
  readonly migrations?: readonly Migration[];
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Opens the ledger with clear errors for every way a file can be unusable: not SQLite, corrupt, read-only, locked,
 * or newer than this build. Callers print the message and exit 2; nobody sees a stack trace.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Db {
  const file = resolve(path);
  assertLooksLikeSqlite(file);
  if (!options.readonly) {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the directory for the database ${file}: ${describeError(error)}`);
    }
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw translate(error, file);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, options.migrations ?? MIGRATIONS, options.migrateTo);
    } else {
      // Touch the schema so corruption surfaces here rather than in the middle of a query.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      assertNotNewer(db, options.migrations ?? MIGRATIONS, file);
    }
    return db;
  } catch (error) {
    db.close();
    throw translate(error, file);
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every listed migration that this ledger has not applied yet, in order. Applied versions are recorded one by
 * one (not only as a high-water mark), so a migration numbered below one already applied, as happens when areas reserve
 * numbers and land in a different order, is still applied.
 */
export function migrate(db: Db, migrations: readonly Migration[], migrateTo?: number): void {
  assertNotNewer(db, migrations, db.name);
  const target = migrateTo ?? migrations.at(-1)?.version ?? 0;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version));
  const highWater = schemaVersion(db);
  for (const migration of migrations) {
    if (migration.version > target) continue;
    // Ledgers from before schema_migrations existed recorded only user_version.
    if (applied.has(migration.version) || (applied.size === 0 && migration.version <= highWater)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT OR REPLACE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
      db.pragma(`user_version = ${Math.max(schemaVersion(db), migration.version)}`);
    }).immediate();
  }
}

function assertNotNewer(db: Db, migrations: readonly Migration[], file: string): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreError(`database ${file} has schema version ${current}, newer than this Vigil (${latest}); upgrade Vigil`);
  }
}

function assertLooksLikeSqlite(file: string): void {
  if (!existsSync(file)) return;
  const stat = statSync(file);
  if (stat.isDirectory()) throw new StoreError(`database path ${file} is a directory, not a file`);
  if (stat.size === 0) return;
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, header, 0, 16, 0);
  } catch (error) {
    throw new StoreError(`cannot read database ${file}: ${describeError(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new StoreError(`${file} is not a SQLite database (wrong file header); point store.path at a Vigil ledger`);
  }
}

/** Turns a raw SQLite error into a StoreError that says what to do; used wherever the ledger is written. */
export function translate(error: unknown, file: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = describeError(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError(`database ${file} is locked by another process (${message}); retry when it is released`);
  }
  if (code.startsWith('SQLITE_READONLY') || /readonly|read-only/i.test(message)) {
    return new StoreError(`database ${file} is read-only (${message}); check file and directory permissions`);
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /malformed|not a database/i.test(message)) {
    return new StoreError(`database ${file} is corrupt (${message}); restore it from a backup or move it aside`);
  }
  if (code === 'SQLITE_CANTOPEN' || /unable to open/i.test(message)) {
    return new StoreError(`cannot open database ${file} (${message}); check that the path exists and is writable`);
  }
  return new StoreError(`database ${file}: ${message}`);
}
