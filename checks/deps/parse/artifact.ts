import { createHash } from 'node:crypto';
import type { FileParseError, ParsedFile } from '../model.js';
import { expandArchives } from './archives.js';
import { formatOf, parseFile } from './detect.js';

export interface ArtifactFile {
  /** Path inside the artifact, '/'-separated. */
  readonly path: string;
  readonly bytes: Buffer;
}

export interface ParsedArtifact {
  readonly digest: string;
  readonly files: readonly ParsedFile[];
  readonly errors: readonly FileParseError[];
  /** Files of no format Vigil reads (READMEs, binaries): counted, not errors. */
  readonly unrecognised: number;
}

/** sha256 over the sorted (path, content hash) pairs: the same content under any order or mtime has one digest. */
export function artifactDigest(files: readonly ArtifactFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(file.path).update('\0').update(createHash('sha256').update(file.bytes).digest()).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Parses every recognised file of an artifact. A malformed file is an error naming the file and the reason; the other
 * files still count, so one broken lockfile does not hide the components of the rest.
 */
export function parseArtifact(files: readonly ArtifactFile[]): ParsedArtifact {
  const parsed: ParsedFile[] = [];
  const errors: FileParseError[] = [];
  let unrecognised = 0;
  for (const file of files) {
    if (!formatOf(file.path)) {
      unrecognised += 1;
      continue;
    }
    try {
      parsed.push(parseFile(file.path, file.bytes.toString('utf8')));
    } catch (error) {
      errors.push({ path: file.path, reason: (error as Error).message });
    }
  }
  // go.sum lists more versions than the build selected; when go.mod is there, it alone says what was built.
  const withGoMod = new Set(parsed.filter((f) => f.format === 'go-mod').map((f) => f.path.replace(/go\.mod$/, '')));
  const kept = parsed.filter((f) => !(f.format === 'go-sum' && withGoMod.has(f.path.replace(/go\.sum$/, ''))));
  return { digest: artifactDigest(files), files: kept, errors, unrecognised };
}

/** An artifact as fetched: archives opened (jar/war/ear, wheels, npm tarballs), then every readable file parsed. */
export async function readArtifact(files: readonly ArtifactFile[]): Promise<ParsedArtifact> {
  const expanded = await expandArchives(files);
  const parsed = parseArtifact(expanded.files);
  return { ...parsed, files: [...expanded.parsed, ...parsed.files], digest: artifactDigest(files), errors: [...expanded.errors, ...parsed.errors] };
}
