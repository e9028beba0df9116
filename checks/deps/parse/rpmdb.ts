import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { component, type ParsedComponent } from '../model.js';
import { dedupe } from './npm-lockfiles.js';
import { osPackagePurl, type OsDistribution } from './os-packages.js';

/** The installed-package facts Vigil reads from one rpm header. */
export interface RpmPackage {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
  readonly arch?: string;
  /** `openssl-3.0.7-27.el9.src.rpm`; absent for pseudo-packages such as `gpg-pubkey`. */
  readonly sourceRpm?: string;
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 } as const;
const TYPE = { int32: 4, string: 6, stringArray: 8, i18nString: 9 } as const;

/**
 * One header as rpm stores it in its database (the on-disk header without the 8-byte magic): index entry count and data
 * size (big-endian 32-bit), then 16-byte index entries (tag, type, offset into the data store, count), then the data
 * store. Only the tags Vigil needs are decoded; strings are NUL-terminated, EPOCH is an INT32.
 */
export function parseRpmHeader(blob: Uint8Array): RpmPackage {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 8) throw new Error('rpm header shorter than its 8-byte preamble');
  const entries = bytes.readUInt32BE(0);
  const dataLength = bytes.readUInt32BE(4);
  const dataStart = 8 + entries * 16;
  if (entries === 0 || dataStart + dataLength > bytes.length) throw new Error(`rpm header of ${entries} entries and ${dataLength} data bytes does not fit in ${bytes.length} bytes`);
  const values = new Map<number, string | number>();
  for (let index = 0; index < entries; index++) {
    const at = 8 + index * 16;
    const tag = bytes.readUInt32BE(at);
    const type = bytes.readUInt32BE(at + 4);
    const offset = bytes.readUInt32BE(at + 8);
    if (!Object.values(TAG).includes(tag as never)) continue;
    if (offset >= dataLength) throw new Error(`rpm header tag ${tag} points outside the data store`);
    const start = dataStart + offset;
    if (type === TYPE.int32) {
      if (offset + 4 > dataLength) throw new Error(`rpm header tag ${tag} points outside the data store`);
      values.set(tag, bytes.readInt32BE(start));
    } else if (type === TYPE.string || type === TYPE.stringArray || type === TYPE.i18nString) {
      const end = bytes.indexOf(0, start);
      if (end < 0 || end > dataStart + dataLength) throw new Error(`rpm header tag ${tag} has an unterminated string`);
      values.set(tag, bytes.toString('utf8', start, end));
    }
  }
  const text = (tag: number) => (typeof values.get(tag) === 'string' ? (values.get(tag) as string) : undefined);
  const name = text(TAG.name);
  const version = text(TAG.version);
  const release = text(TAG.release);
  if (!name || !version || release === undefined) throw new Error('rpm header without NAME, VERSION and RELEASE');
  const epoch = values.get(TAG.epoch);
  return {
    name,
    version,
    release,
    ...(typeof epoch === 'number' ? { epoch } : {}),
    ...(text(TAG.arch) ? { arch: text(TAG.arch) } : {}),
    ...(text(TAG.sourceRpm) ? { sourceRpm: text(TAG.sourceRpm) } : {}),
  };
}

/**
 * rpm's SQLite database (`rpmdb.sqlite`, RHEL/Alma/Rocky 9 and Fedora 33+): the `Packages` table holds one header blob
 * per installed package. SQLite needs a file, so the bytes from the image go to a private temporary directory (with
 * the write-ahead log when the image has one, which holds transactions not yet checkpointed) and are opened read-only.
 */
export function readRpmSqlite(database: Buffer, wal?: Buffer): RpmPackage[] {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rpmdb-'));
  try {
    const file = join(dir, 'rpmdb.sqlite');
    writeFileSync(file, database, { mode: 0o600 });
    if (wal) writeFileSync(`${file}-wal`, wal, { mode: 0o600 });
    // Not read-only when there is a log: replaying it needs the shared-memory index SQLite creates beside the file.
    const db = new Database(file, { readonly: !wal, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT blob FROM Packages').all() as { blob: Buffer }[];
      return rows.map((row, index) => {
        try {
          return parseRpmHeader(row.blob);
        } catch (error) {
          throw new Error(`package ${index + 1}: ${(error as Error).message}`);
        }
      });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl-3.0.7-27.el9.src.rpm` → `openssl`: the name is what precedes the last two dash-separated fields. */
export function sourceRpmName(sourceRpm: string): string | undefined {
  const match = /^(.+)-[^-]+-[^-]+\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return match?.[1];
}

/** `[epoch:]version-release`, as AlmaLinux and Rocky Linux records write their fixed versions (epoch only when set). */
export function rpmEvr(pkg: RpmPackage): string {
  return `${pkg.epoch ? `${pkg.epoch}:` : ''}${pkg.version}-${pkg.release}`;
}

/**
 * Components of the installed rpm packages. AlmaLinux records name the binary RPMs an erratum ships (ALSA-2023:0946
 * lists `openssl-devel` and `openssl-perl`, not `openssl`), while the schema has Rocky Linux records name source
 * packages, so every binary package is a component under its own name, and its source package is one more component
 * when no installed binary carries that name (`openssl-libs` alone still meets a record about `openssl`). Both carry
 * the binary's epoch:version-release, which is the source build's. `gpg-pubkey` entries are keys, not packages.
 */
export function rpmComponents(packages: readonly RpmPackage[], dist: OsDistribution): ParsedComponent[] {
  const installed = packages.filter((pkg) => pkg.name !== 'gpg-pubkey');
  const binaries = new Set(installed.map((pkg) => pkg.name));
  const out: ParsedComponent[] = [];
  for (const pkg of installed) {
    const version = rpmEvr(pkg);
    const purl = osPackagePurl('rpm', dist, pkg.name, version, { arch: pkg.arch, upstream: pkg.sourceRpm });
    out.push(component(dist.ecosystem, pkg.name, version, { direct: true, path: [pkg.name], purl }));
    const source = pkg.sourceRpm ? sourceRpmName(pkg.sourceRpm) : undefined;
    if (source && !binaries.has(source)) out.push(component(dist.ecosystem, source, version, { direct: true, path: [pkg.name], purl }));
  }
  return dedupe(out);
}
