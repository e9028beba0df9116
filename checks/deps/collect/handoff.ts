import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
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
  return registerArtifact(db, { source: request.source, files, location: request.location ?? request.files.join(','), ...(request.name ? { name: request.name } : {}), ...(request.version ? { version: request.version } : {}) }, now);
}

/**
 * Parses and stores one handed-off artifact (files already read), refusing it whole on the first unreadable file, and
 * matches it at once. Shared by `audit artifacts add` and `POST /v1/artifacts`.
 */
export async function registerArtifact(
  db: Db,
  request: { readonly source: string; readonly name?: string; readonly version?: string; readonly files: readonly ArtifactFile[]; readonly location: string },
  now: number,
): Promise<HandoffResult> {
  const files = request.files;
  const parsed = await readArtifact(files);
  const broken = parsed.errors[0];
  if (broken) throw new InvalidConfigError(`${broken.path}: ${broken.reason}`);
  if (parsed.files.length === 0) throw new InvalidConfigError(`${files.map((f) => f.path).join(', ')}: no lockfile, SBOM or package database found`);
  const described = files.length === 1 ? describedArtifact(files[0]!.bytes.toString('utf8')) : undefined;
  const name = request.name ?? described?.name;
  const version = request.version ?? described?.version;
  if (!name || !version) throw new InvalidConfigError('--name and --release are required unless the SBOM names its component');
  const stored = recordArtifactVersion(db, { source: request.source, name, version, digest: parsed.digest, location: request.location, files: parsed.files, errors: [] }, now);
  const vulnerable = db
    .prepare(
      `SELECT count(DISTINCT m.advisory_id) AS n FROM deps_artifacts a JOIN deps_artifact_versions v ON v.artifact_id = a.id
       JOIN deps_components c ON c.version_id = v.id JOIN deps_package_matches m ON m.package_id = c.package_id
       WHERE a.source = ? AND a.name = ? AND v.version = ?`,
    )
    .get(request.source, name, version) as { n: number };
  return { source: request.source, name, version, outcome: stored.outcome, components: stored.components, digest: parsed.digest, vulnerable: vulnerable.n };
}

const nameField = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore');

/** `POST /v1/artifacts`: the same hand-off over HTTP for pipelines without the CLI; file contents are base64. */
export const artifactUploadSchema = z.strictObject({
  source: nameField.default('ci'),
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  location: z.string().optional(),
  files: z
    .array(z.strictObject({ path: z.string().min(1).refine((p) => !p.includes('..'), 'no ".." in file paths'), content: z.base64('content must be base64') }))
    .min(1, 'give at least one file'),
});

export async function registerUploadedArtifact(db: Db, body: unknown, now: number): Promise<HandoffResult> {
  const parsed = artifactUploadSchema.safeParse(body);
  if (!parsed.success) throw new InvalidConfigError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  const { source, name, version, location, files } = parsed.data;
  for (const file of files) {
    if (!formatOf(file.path)) throw new InvalidConfigError(`${file.path}: unrecognised format (expected a lockfile, a CycloneDX/SPDX SBOM, or a jar/war/ear, wheel, npm tarball or image tar)`);
  }
  return registerArtifact(
    db,
    { source, files: files.map((f) => ({ path: f.path, bytes: Buffer.from(f.content, 'base64') })), location: location ?? 'api', ...(name ? { name } : {}), ...(version ? { version } : {}) },
    now,
  );
}
