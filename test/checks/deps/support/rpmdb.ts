import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RpmPackage } from '../../../../checks/deps/parse/rpmdb.js';

/** What a test installs: the same facts the reader returns. */
export type RpmSpec = RpmPackage;

/**
 * Builds an rpm header blob as rpm writes it into its database: entry count and data size, 16-byte index entries,
 * then the data store. A region entry (HEADERIMMUTABLE, binary) and a file-name string array come first, as in real
 * headers, so a reader has to skip tags it does not use. INT32 data is 4-byte aligned.
 */
export function buildRpmHeader(spec: RpmSpec): Buffer {
  const entries: { tag: number; type: number; data: Buffer; count: number }[] = [
    { tag: 63, type: 7, data: Buffer.alloc(16, 0xab), count: 16 },
    { tag: 1000, type: 6, data: cString(spec.name), count: 1 },
    { tag: 1001, type: 6, data: cString(spec.version), count: 1 },
    { tag: 1002, type: 6, data: cString(spec.release), count: 1 },
    { tag: 1027, type: 8, data: Buffer.concat([cString('/usr/bin/a'), cString('/usr/bin/b')]), count: 2 },
  ];
  if (spec.epoch !== undefined) {
    const epoch = Buffer.alloc(4);
    epoch.writeInt32BE(spec.epoch);
    entries.push({ tag: 1003, type: 4, data: epoch, count: 1 });
  }
  if (spec.arch) entries.push({ tag: 1022, type: 6, data: cString(spec.arch), count: 1 });
  if (spec.sourceRpm) entries.push({ tag: 1044, type: 6, data: cString(spec.sourceRpm), count: 1 });
  const index = Buffer.alloc(entries.length * 16);
  const store: Buffer[] = [];
  let size = 0;
  entries.forEach((entry, i) => {
    if (entry.type === 4 && size % 4 !== 0) {
      store.push(Buffer.alloc(4 - (size % 4)));
      size += 4 - (size % 4);
    }
    index.writeUInt32BE(entry.tag, i * 16);
    index.writeUInt32BE(entry.type, i * 16 + 4);
    index.writeUInt32BE(size, i * 16 + 8);
    index.writeUInt32BE(entry.count, i * 16 + 12);
    store.push(entry.data);
    size += entry.data.length;
  });
  const preamble = Buffer.alloc(8);
  preamble.writeUInt32BE(entries.length, 0);
  preamble.writeUInt32BE(size, 4);
  return Buffer.concat([preamble, index, ...store]);
}

function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

/**
 * A real rpmdb.sqlite (rpm's schema: `Packages(hnum, blob)`, WAL journal) written in `dir`. With `pending`, those
 * packages are committed but left in the write-ahead log (no checkpoint), as a database copied from a running system
 * can be; the bytes of both files are returned.
 */
export function buildRpmSqlite(dir: string, packages: readonly RpmSpec[], pending: readonly RpmSpec[] = []): { database: Buffer; wal?: Buffer } {
  const file = join(dir, 'rpmdb.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const pkg of packages) insert.run(buildRpmHeader(pkg));
  db.pragma('wal_checkpoint(TRUNCATE)');
  if (pending.length === 0) {
    db.close();
    return { database: readFileSync(file) };
  }
  db.pragma('wal_autocheckpoint = 0');
  for (const pkg of pending) insert.run(buildRpmHeader(pkg));
  const copy = { database: readFileSync(file), wal: existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : undefined };
  db.close();
  return copy;
}
