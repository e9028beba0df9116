import { posix } from 'node:path';
import type { FileParseError, ParsedFile } from '../model.js';
import type { ArtifactFile } from './artifact.js';
import { formatOf } from './detect.js';
import { osDistribution, parseApkInstalled, parseDpkgStatus, parseOsRelease, type PackageManager } from './os-packages.js';
import { readRpmSqlite, rpmComponents } from './rpmdb.js';
import { tarEntries, type TarEntry } from './tarball.js';

/** rpm's databases: SQLite (EL9+, Fedora; `usr/lib/sysimage/rpm` where `var/lib/rpm` is a link), BerkeleyDB (EL7/8), ndb (SUSE). */
const RPM_SQLITE = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
const RPM_OTHER = { 'var/lib/rpm/Packages': 'BerkeleyDB', 'usr/lib/sysimage/rpm/Packages': 'BerkeleyDB', 'var/lib/rpm/Packages.db': 'ndb', 'usr/lib/sysimage/rpm/Packages.db': 'ndb' } as Record<string, string>;
const OS_FILES = new Set([
  'var/lib/dpkg/status',
  'lib/apk/db/installed',
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  ...RPM_SQLITE,
  ...RPM_SQLITE.map((path) => `${path}-wal`),
  ...Object.keys(RPM_OTHER),
]);
const DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;

/** Files of an image's final filesystem worth keeping: package databases, release files, and any lockfile, SBOM or archive Vigil reads. */
function wanted(path: string): boolean {
  if (OS_FILES.has(path) || (DPKG_STATUS_D.test(path) && !path.endsWith('.md5sums'))) return true;
  if (/^(proc|sys|dev)\//.test(path)) return false;
  const format = formatOf(path);
  if (!format) return false;
  // A bare METADATA is only a Python distribution's when it sits in a *.dist-info directory.
  return format !== 'wheel-metadata' || /\.dist-info\/METADATA$/.test(path);
}

export interface ImageContents {
  /** Lockfiles, SBOMs and archives found in the final filesystem, to be parsed like any artifact file. */
  readonly files: ArtifactFile[];
  /** OS package databases, already parsed (they need the release read from the same filesystem). */
  readonly parsed: ParsedFile[];
  readonly errors: FileParseError[];
}

/** True for a `docker save` archive (manifest.json) or an OCI image layout archive (index.json + oci-layout). */
export function isImageArchive(entries: readonly TarEntry[]): boolean {
  const names = new Set(entries.map((e) => e.path));
  return names.has('manifest.json') || (names.has('index.json') && names.has('oci-layout'));
}

function json(entries: Map<string, TarEntry>, path: string): any {
  const entry = entries.get(path);
  if (!entry) throw new Error(`${path} is missing from the image archive`);
  return JSON.parse(entry.bytes.toString('utf8'));
}

/** Layer paths in order (base first), from docker's manifest.json or the OCI index → manifest chain. */
function layerPaths(entries: Map<string, TarEntry>): string[] {
  if (entries.has('manifest.json')) {
    const manifest = json(entries, 'manifest.json') as { Layers?: string[] }[];
    if (!Array.isArray(manifest) || !Array.isArray(manifest[0]?.Layers)) throw new Error('manifest.json lists no Layers');
    // A `docker save` of several images lists each; the first is the one the artifact names.
    return manifest[0]!.Layers!;
  }
  const blob = (digest: string) => `blobs/${digest.replace(':', '/')}`;
  let node = json(entries, 'index.json') as { manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[]; layers?: { digest: string }[] };
  for (let depth = 0; depth < 4 && !node.layers; depth++) {
    const manifests = node.manifests ?? [];
    const pick = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? manifests.find((m) => entries.has(blob(m.digest)));
    if (!pick) throw new Error('index.json names no manifest present in the archive');
    node = json(entries, blob(pick.digest));
  }
  if (!node.layers) throw new Error('no image manifest with layers in the OCI layout');
  return node.layers.map((layer) => blob(layer.digest));
}

/**
 * Reads a container image archive the way the container would see its filesystem: layers applied in order, with OCI
 * whiteouts (`.wh.<name>` deletes a lower file or directory, `.wh..wh..opq` hides everything a lower layer put in that
 * directory) and upper entries replacing lower ones. Only wanted files are kept, so an image costs its layers' bytes
 * once, not a copy of its filesystem. dpkg (`status`, distroless `status.d/`), apk and rpm (`rpmdb.sqlite`) databases
 * become components of the distribution's OSV ecosystem from os-release (see osDistribution); a distribution Vigil
 * has no ecosystem for, and BerkeleyDB/ndb rpm databases, are reported, never matched against another's records.
 */
export function readImage(archivePath: string, archive: readonly TarEntry[]): ImageContents {
  const byPath = new Map(archive.map((e) => [e.path, e]));
  const fs = new Map<string, Buffer>();
  const dropUnder = (dir: string) => {
    for (const key of [...fs.keys()]) if (key.startsWith(`${dir}/`)) fs.delete(key);
  };
  for (const layerPath of layerPaths(byPath)) {
    const layer = byPath.get(layerPath);
    if (!layer) throw new Error(`layer ${layerPath} is missing from the image archive`);
    let entries: TarEntry[];
    try {
      entries = tarEntries(layer.bytes);
    } catch (error) {
      throw new Error(`layer ${layerPath}: ${(error as Error).message}`);
    }
    // Whiteouts hide what lower layers put there; entries of this same layer stay, so they are applied first.
    for (const entry of entries) {
      const base = posix.basename(entry.path);
      if (!base.startsWith('.wh.')) continue;
      const dir = posix.dirname(entry.path);
      if (base === '.wh..wh..opq') dropUnder(dir === '.' ? '' : dir);
      else {
        const target = dir === '.' ? base.slice(4) : `${dir}/${base.slice(4)}`;
        fs.delete(target);
        dropUnder(target);
      }
    }
    for (const entry of entries) {
      if (posix.basename(entry.path).startsWith('.wh.')) continue;
      if (entry.type !== 'dir') dropUnder(entry.path);
      if (entry.type === 'file' && wanted(entry.path)) fs.set(entry.path, Buffer.from(entry.bytes));
      else fs.delete(entry.path);
    }
  }
  const text = (path: string) => fs.get(path)?.toString('utf8');
  const errors: FileParseError[] = [];
  const parsed: ParsedFile[] = [];
  const osRelease = parseOsRelease(text('etc/os-release') ?? text('usr/lib/os-release') ?? '');
  const id = osRelease.get('ID') ?? (fs.has('etc/alpine-release') ? 'alpine' : fs.has('etc/debian_version') ? 'debian' : '');
  const versionId = osRelease.get('VERSION_ID') ?? (id === 'alpine' ? text('etc/alpine-release') : text('etc/debian_version')) ?? '';
  const inside = (path: string) => `${archivePath}!/${path}`;

  const distribution = (manager: PackageManager, path: string) => {
    const dist = osDistribution(manager, id, versionId.trim());
    if (typeof dist === 'string') errors.push({ path, reason: dist });
    return typeof dist === 'string' ? undefined : dist;
  };
  const parse = (path: string, format: string, read: () => ParsedFile['components']) => {
    try {
      parsed.push({ path, format, components: read() });
    } catch (error) {
      errors.push({ path, reason: `malformed ${format}: ${(error as Error).message}` });
    }
  };

  const dpkg = [text('var/lib/dpkg/status') ?? '', ...[...fs.keys()].filter((k) => DPKG_STATUS_D.test(k)).sort().map((k) => text(k)!)].filter((t) => t.trim() !== '');
  if (dpkg.length > 0) {
    const path = inside(fs.has('var/lib/dpkg/status') ? 'var/lib/dpkg/status' : 'var/lib/dpkg/status.d');
    const dist = distribution('dpkg', path);
    if (dist) parse(path, 'dpkg-status', () => parseDpkgStatus(dpkg.join('\n\n'), dist));
  }
  const apk = text('lib/apk/db/installed');
  if (apk !== undefined) {
    const path = inside('lib/apk/db/installed');
    const dist = distribution('apk', path);
    if (dist) parse(path, 'apk-installed', () => parseApkInstalled(apk, dist));
  }
  const rpmSqlite = RPM_SQLITE.find((p) => fs.has(p));
  if (rpmSqlite) {
    const path = inside(rpmSqlite);
    const dist = distribution('rpm', path);
    if (dist) parse(path, 'rpmdb-sqlite', () => rpmComponents(readRpmSqlite(fs.get(rpmSqlite)!, fs.get(`${rpmSqlite}-wal`)), dist));
  }
  for (const [file, kind] of Object.entries(RPM_OTHER)) {
    // An older rpm database is a scope Vigil could not read, never an image that silently has no OS packages.
    if (!rpmSqlite && fs.has(file)) errors.push({ path: inside(file), reason: `rpm ${kind} database: not readable (no maintained JavaScript reader for ${kind}); only rpmdb.sqlite is` });
  }
  const files = [...fs.entries()]
    .filter(([path]) => !OS_FILES.has(path) && !DPKG_STATUS_D.test(path))
    .map(([path, bytes]) => ({ path: inside(path), bytes }));
  return { files, parsed, errors };
}
