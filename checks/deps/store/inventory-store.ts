import type { Db } from '../../../src/store/db.js';
import type { FileParseError, ParsedFile } from '../model.js';
import { matchPackages } from './matcher.js';

export interface ArtifactVersionInput {
  readonly source: string;
  readonly name: string;
  readonly version: string;
  /** sha256 of the artifact's content. */
  readonly digest: string;
  readonly location: string;
  readonly releasedAt?: number;
  readonly files: readonly ParsedFile[];
  readonly errors: readonly FileParseError[];
}

export type RecordOutcome = 'added' | 'unchanged' | 'replaced';

/** Whether this released version is already in the inventory: released versions are fetched and parsed once. */
export function knownVersion(db: Db, source: string, name: string, version: string): { digest: string } | undefined {
  return db
    .prepare('SELECT v.digest FROM deps_artifact_versions v JOIN deps_artifacts a ON a.id = v.artifact_id WHERE a.source = ? AND a.name = ? AND v.version = ?')
    .get(source, name, version) as { digest: string } | undefined;
}

/**
 * Stores one parsed artifact version with its components and matches its new package versions at once, in one
 * transaction. The same content again (a re-upload, or the same release seen twice) changes nothing; different content
 * under a released version replaces the components (and is logged by the caller, since releases should be immutable).
 */
export function recordArtifactVersion(db: Db, input: ArtifactVersionInput, now: number): { outcome: RecordOutcome; components: number } {
  return db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO deps_artifacts (source, name) VALUES (?, ?)').run(input.source, input.name);
    const artifactId = (db.prepare('SELECT id FROM deps_artifacts WHERE source = ? AND name = ?').get(input.source, input.name) as { id: number }).id;
    const existing = db.prepare('SELECT id, digest FROM deps_artifact_versions WHERE artifact_id = ? AND version = ?').get(artifactId, input.version) as
      | { id: number; digest: string }
      | undefined;
    if (existing?.digest === input.digest) return { outcome: 'unchanged' as const, components: 0 };
    const files = JSON.stringify(input.files.map((f) => ({ path: f.path, format: f.format, components: f.components.length })));
    let versionId: number;
    if (existing) {
      db.prepare('DELETE FROM deps_components WHERE version_id = ?').run(existing.id);
      db.prepare('UPDATE deps_artifact_versions SET digest = ?, location = ?, released_at = ?, parsed_at = ?, files = ?, errors = ? WHERE id = ?').run(
        input.digest,
        input.location,
        input.releasedAt ?? null,
        now,
        files,
        JSON.stringify(input.errors),
        existing.id,
      );
      versionId = existing.id;
    } else {
      versionId = Number(
        db
          .prepare('INSERT INTO deps_artifact_versions (artifact_id, version, digest, location, released_at, parsed_at, files, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(artifactId, input.version, input.digest, input.location, input.releasedAt ?? null, now, files, JSON.stringify(input.errors)).lastInsertRowid,
      );
    }
    const insertPackage = db.prepare('INSERT OR IGNORE INTO deps_packages (ecosystem, name, version) VALUES (?, ?, ?)');
    const packageId = db.prepare('SELECT id FROM deps_packages WHERE ecosystem = ? AND name = ? AND version = ?');
    const insertComponent = db.prepare(
      `INSERT INTO deps_components (version_id, package_id, registry, purl, direct, path, file) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (version_id, package_id, registry) DO UPDATE SET direct = max(direct, excluded.direct)`,
    );
    const fresh: number[] = [];
    let count = 0;
    for (const file of input.files) {
      for (const c of file.components) {
        const inserted = insertPackage.run(c.ecosystem, c.name, c.version).changes > 0;
        const id = (packageId.get(c.ecosystem, c.name, c.version) as { id: number }).id;
        if (inserted) fresh.push(id);
        insertComponent.run(versionId, id, c.registry, c.purl, c.direct ? 1 : 0, JSON.stringify(c.path), file.path);
        count += 1;
      }
    }
    // Package versions already stored were matched when they first arrived and re-matched on every advisory change.
    matchPackages(db, fresh, now);
    return { outcome: existing ? ('replaced' as const) : ('added' as const), components: count };
  }).immediate();
}

export interface MatchRow {
  readonly source: string;
  readonly artifact: string;
  readonly version: string;
  readonly location: string;
  readonly ecosystem: string;
  readonly packageName: string;
  readonly packageVersion: string;
  readonly purl: string;
  readonly direct: boolean;
  readonly path: readonly string[];
  readonly registry: string;
  readonly advisoryId: string;
  readonly vulnKey: string;
  readonly aliases: readonly string[];
  readonly severity: string;
  readonly severitySource: string;
  readonly summary: string;
  readonly fixed: readonly string[];
}

/**
 * Every current (artifact version, component, advisory) match for artifacts of these sources. Driven from the match
 * table (CROSS JOIN fixes SQLite's join order): matches are few, components are many.
 */
export function currentMatches(db: Db, sources: readonly string[]): MatchRow[] {
  if (sources.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT a.source, a.name AS artifact, v.version, v.location, p.ecosystem, p.name AS packageName, p.version AS packageVersion,
              c.purl, c.direct, c.path, c.registry, m.advisory_id AS advisoryId, d.vuln_key AS vulnKey, d.aliases,
              d.severity, d.severity_source AS severitySource, d.summary, m.fixed
       FROM deps_package_matches m
       CROSS JOIN deps_components c ON c.package_id = m.package_id
       CROSS JOIN deps_artifact_versions v ON v.id = c.version_id
       CROSS JOIN deps_artifacts a ON a.id = v.artifact_id
       JOIN deps_packages p ON p.id = m.package_id
       JOIN deps_advisories d ON d.id = m.advisory_id
       WHERE a.source IN (${sources.map(() => '?').join(',')})
       ORDER BY a.source, a.name, v.version, d.vuln_key, p.ecosystem, p.name, p.version, m.advisory_id`,
    )
    .all(...sources) as (Omit<MatchRow, 'direct' | 'path' | 'aliases' | 'fixed'> & { direct: number; path: string; aliases: string; fixed: string })[];
  return rows.map((row) => ({ ...row, direct: row.direct === 1, path: JSON.parse(row.path), aliases: JSON.parse(row.aliases), fixed: JSON.parse(row.fixed) }));
}

export function inventoryCounts(db: Db, sources: readonly string[]): { artifactVersions: number; components: number } {
  if (sources.length === 0) return { artifactVersions: 0, components: 0 };
  const marks = sources.map(() => '?').join(',');
  const versions = db.prepare(`SELECT count(*) AS n FROM deps_artifact_versions v JOIN deps_artifacts a ON a.id = v.artifact_id WHERE a.source IN (${marks})`).get(...sources) as { n: number };
  const components = db
    .prepare(`SELECT count(*) AS n FROM deps_components c JOIN deps_artifact_versions v ON v.id = c.version_id JOIN deps_artifacts a ON a.id = v.artifact_id WHERE a.source IN (${marks})`)
    .get(...sources) as { n: number };
  return { artifactVersions: versions.n, components: components.n };
}
