import { posix } from 'node:path';
import type { ComponentEcosystem, FileParseError, ParsedFile } from '../model.js';
import type { ArtifactFile } from './artifact.js';
import { formatOf } from './detect.js';
import { alpineRelease, debianRelease, parseApkInstalled, parseDpkgStatus, parseOsRelease } from './os-packages.js';
import { tarEntries, type TarEntry } from './tarball.js';

const OS_FILES = new Set(['var/lib/dpkg/status', 'lib/apk/db/installed', 'etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'etc/debian_version']);
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
 * once, not a copy of its filesystem. dpkg (`status`, distroless `status.d/`) and apk databases become components of
 * `Debian:<release>` / `Alpine:v<release>` from os-release; other dpkg/apk-based distributions are reported, not
 * matched against Debian or Alpine records.
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

  const dpkg = [text('var/lib/dpkg/status') ?? '', ...[...fs.keys()].filter((k) => DPKG_STATUS_D.test(k)).sort().map((k) => text(k)!)].filter((t) => t.trim() !== '');
  if (dpkg.length > 0) {
    const path = inside(fs.has('var/lib/dpkg/status') ? 'var/lib/dpkg/status' : 'var/lib/dpkg/status.d');
    if (id !== 'debian') errors.push({ path, reason: `dpkg database of ${id || 'an unknown distribution'}: only Debian and Alpine releases are matched` });
    else {
      const release = debianRelease(versionId);
      const ecosystem: ComponentEcosystem = release ? `Debian:${release}` : 'Debian';
      try {
        parsed.push({ path, format: 'dpkg-status', components: parseDpkgStatus(dpkg.join('\n\n'), ecosystem) });
      } catch (error) {
        errors.push({ path, reason: `malformed dpkg-status: ${(error as Error).message}` });
      }
    }
  }
  const apk = text('lib/apk/db/installed');
  if (apk !== undefined) {
    const path = inside('lib/apk/db/installed');
    if (id !== 'alpine') errors.push({ path, reason: `apk database of ${id || 'an unknown distribution'}: only Debian and Alpine releases are matched` });
    else {
      const release = alpineRelease(versionId);
      const ecosystem: ComponentEcosystem = release ? `Alpine:${release}` : 'Alpine';
      try {
        parsed.push({ path, format: 'apk-installed', components: parseApkInstalled(apk, ecosystem) });
      } catch (error) {
        errors.push({ path, reason: `malformed apk-installed: ${(error as Error).message}` });
      }
    }
  }
  const files = [...fs.entries()]
    .filter(([path]) => !OS_FILES.has(path) && !DPKG_STATUS_D.test(path))
    .map(([path, bytes]) => ({ path: inside(path), bytes }));
  return { files, parsed, errors };
}
