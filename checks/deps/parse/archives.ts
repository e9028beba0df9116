import yauzl from 'yauzl';
import type { ArtifactFile } from './artifact.js';
import { untar } from './tarball.js';

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
 * wheels their `*.dist-info/METADATA`, npm tarballs their root `npm-shrinkwrap.json`. Paths keep the archive chain
 * (`app.jar!/BOOT-INF/lib/x.jar!/META-INF/...`). An archive that cannot be opened is reported, not fatal.
 */
export async function expandArchives(files: readonly ArtifactFile[]): Promise<{ files: ArtifactFile[]; errors: { path: string; reason: string }[] }> {
  const out: ArtifactFile[] = [];
  const errors: { path: string; reason: string }[] = [];
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
  for (const file of files) {
    if (JAVA_ARCHIVE.test(file.path) || /\.whl$/i.test(file.path)) {
      await expandZip(file.path, file.bytes, 1);
    } else if (/\.tgz$/i.test(file.path)) {
      try {
        for (const entry of untar(file.bytes)) if (entry.path === 'package/npm-shrinkwrap.json') out.push({ path: `${file.path}!/${entry.path}`, bytes: entry.bytes });
      } catch (error) {
        errors.push({ path: file.path, reason: `unreadable archive: ${(error as Error).message}` });
      }
    } else {
      out.push(file);
    }
  }
  return { files: out, errors };
}
