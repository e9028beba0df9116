import yauzl from 'yauzl';
import { component, type FileParseError, type ParsedFile } from '../model.js';
import type { ArtifactFile } from './artifact.js';
import { formatOf } from './detect.js';
import { isImageArchive, readImage } from './image.js';
import { tarEntries, untar } from './tarball.js';

const TAR = /\.(tar|tar\.gz)$/i;

const JAVA_ARCHIVE = /\.(jar|war|ear)$/i;
const MAX_DEPTH = 4;

function zipEntries(buffer: Buffer): Promise<{ path: string; bytes: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip archive'));
      const out: { path: string; bytes: Buffer }[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        const wanted = /(^|\/)pom\.properties$/.test(entry.fileName) || JAVA_ARCHIVE.test(entry.fileName) || /\.dist-info\/METADATA$/.test(entry.fileName);
        if (!wanted || entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ path: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Opens the archives among an artifact's files so their own metadata can be parsed: Java archives (jar/war/ear, nested
 * jars such as Spring Boot's BOOT-INF/lib, to a depth of 4) yield their `META-INF/maven/**\/pom.properties`, Python
 * wheels their `*.dist-info/METADATA`, npm tarballs their root `npm-shrinkwrap.json` and bundled dependencies,
 * container image archives (`docker save`, OCI layout) their OS package databases and the lockfiles and jars of their
 * final filesystem (see image.ts), and other tar archives the recognised files inside. Paths keep the archive chain
 * (`app.jar!/BOOT-INF/lib/x.jar!/META-INF/...`). An archive that cannot be opened is reported, not fatal.
 */
export async function expandArchives(files: readonly ArtifactFile[]): Promise<{ files: ArtifactFile[]; parsed: ParsedFile[]; errors: FileParseError[] }> {
  const out: ArtifactFile[] = [];
  const parsed: ParsedFile[] = [];
  const errors: FileParseError[] = [];
  const queue = [...files];
  const expandZip = async (path: string, bytes: Buffer, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await zipEntries(bytes);
    } catch (error) {
      errors.push({ path, reason: `unreadable archive: ${(error as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const inner = `${path}!/${entry.path}`;
      if (JAVA_ARCHIVE.test(entry.path)) {
        if (depth < MAX_DEPTH) await expandZip(inner, entry.bytes, depth + 1);
      } else {
        out.push({ path: inner, bytes: entry.bytes });
      }
    }
  };
  for (let file = queue.shift(); file; file = queue.shift()) {
    if (JAVA_ARCHIVE.test(file.path) || /\.whl$/i.test(file.path)) {
      await expandZip(file.path, file.bytes, 1);
    } else if (/\.tgz$/i.test(file.path)) {
      try {
        const entries = untar(file.bytes);
        for (const entry of entries) if (entry.path === 'package/npm-shrinkwrap.json') out.push({ path: `${file.path}!/${entry.path}`, bytes: entry.bytes });
        const bundled = bundledDependencies(file.path, entries);
        if (bundled) parsed.push(bundled);
      } catch (error) {
        errors.push({ path: file.path, reason: `unreadable archive: ${(error as Error).message}` });
      }
    } else if (TAR.test(file.path)) {
      try {
        const entries = tarEntries(file.bytes);
        if (isImageArchive(entries)) {
          const image = readImage(file.path, entries);
          queue.push(...image.files);
          parsed.push(...image.parsed);
          errors.push(...image.errors);
        } else {
          for (const entry of entries) {
            if (entry.type === 'file' && formatOf(entry.path)) queue.push({ path: `${file.path}!/${entry.path}`, bytes: Buffer.from(entry.bytes) });
          }
        }
      } catch (error) {
        errors.push({ path: file.path, reason: `unreadable archive: ${(error as Error).message}` });
      }
    } else {
      out.push(file);
    }
  }
  return { files: out, parsed, errors };
}

/**
 * An npm tarball's bundled dependencies (`package/node_modules/<name>/package.json`): published inside the tarball, so
 * their exact versions are part of the release even without a shrinkwrap.
 */
function bundledDependencies(tarball: string, entries: readonly ArtifactFile[]): ParsedFile | undefined {
  const components = [];
  for (const entry of entries) {
    const match = /^package\/((?:node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/)+)package\.json$/.exec(entry.path);
    if (!match) continue;
    const chain = match[1]!.split('node_modules/').filter(Boolean).map((part) => part.replace(/\/$/, ''));
    try {
      const manifest = JSON.parse(entry.bytes.toString('utf8')) as { name?: unknown; version?: unknown };
      if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') continue;
      components.push(component('npm', manifest.name, manifest.version, { direct: chain.length === 1, path: chain }));
    } catch {
      // A package.json that is not JSON inside node_modules is a broken copy, not a dependency of the release.
    }
  }
  return components.length > 0 ? { path: `${tarball}!/package/node_modules`, format: 'npm-bundled', components } : undefined;
}
