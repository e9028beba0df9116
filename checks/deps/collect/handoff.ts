import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidConfigError } from '../../../src/check-api/errors.js';
import type { Db } from '../../../src/store/db.js';
import { formatOf } from '../parse/detect.js';
import { readArtifact, type ArtifactFile } from '../parse/artifact.js';
import { describedArtifact } from '../parse/sboms.js';
import { recordArtifactVersion, type RecordOutcome } from '../store/inventory-store.js';

export interface HandoffRequest {
  readonly source: string;
  readonly name?: string;
  readonly version?: string;
  readonly files: readonly string[];
  readonly location?: string;
}

export interface HandoffResult {
  readonly source: string;
  readonly name: string;
  readonly version: string;
  readonly outcome: RecordOutcome;
  readonly components: number;
  readonly digest: string;
  readonly vulnerable: number;
}

/**
 * The CI hand-off: a pipeline registers the artifact it just released (its lockfiles or SBOM). Unlike a scheduled
 * source, bad input is refused whole with a one-line reason and nothing is stored, so the pipeline fails loudly and
 * can retry; the same content again is a no-op. The new version is matched against the advisory mirror at once.
 */
export async function handOffArtifact(db: Db, request: HandoffRequest, now: number): Promise<HandoffResult> {
  if (request.files.length === 0) throw new InvalidConfigError('give at least one lockfile or SBOM');
  const files: ArtifactFile[] = [];
  for (const path of request.files) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InvalidConfigError(`${path}: no such file`);
    }
    if (!info.isFile()) throw new InvalidConfigError(`${path}: not a file`);
    if (!formatOf(path)) throw new InvalidConfigError(`${path}: unrecognised format (expected a lockfile such as package-lock.json, a CycloneDX/SPDX JSON SBOM, or a jar/war/ear, wheel or npm tarball)`);
    files.push({ path: basename(path), bytes: await readFile(path) });
  }
  const parsed = await readArtifact(files);
  const broken = parsed.errors[0];
  if (broken) throw new InvalidConfigError(`${broken.path}: ${broken.reason}`);
  const described = files.length === 1 ? describedArtifact(files[0]!.bytes.toString('utf8')) : undefined;
  const name = request.name ?? described?.name;
  const version = request.version ?? described?.version;
  if (!name || !version) throw new InvalidConfigError('--name and --release are required unless the SBOM names its component');
  const stored = recordArtifactVersion(
    db,
    { source: request.source, name, version, digest: parsed.digest, location: request.location ?? request.files.join(','), files: parsed.files, errors: [] },
    now,
  );
  const vulnerable = db
    .prepare(
      `SELECT count(DISTINCT m.advisory_id) AS n FROM deps_artifacts a JOIN deps_artifact_versions v ON v.artifact_id = a.id
       JOIN deps_components c ON c.version_id = v.id JOIN deps_package_matches m ON m.package_id = c.package_id
       WHERE a.source = ? AND a.name = ? AND v.version = ?`,
    )
    .get(request.source, name, version) as { n: number };
  return { source: request.source, name, version, outcome: stored.outcome, components: stored.components, digest: parsed.digest, vulnerable: vulnerable.n };
}
