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
      // The matched packages it had may leave with the old content: logged so their findings are looked at again.
      db.prepare(
        `INSERT INTO deps_match_log (version_id, package_id, change, at)
         SELECT DISTINCT c.version_id, c.package_id, 'removed', ? FROM deps_components c WHERE c.version_id = ? AND EXISTS (SELECT 1 FROM deps_package_matches m WHERE m.package_id = c.package_id)`,
      ).run(now, existing.id);
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
    db.prepare(`INSERT INTO deps_match_log (version_id, change, at) VALUES (?, 'version', ?)`).run(versionId, now);
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

const MATCH_COLUMNS = `a.source, a.name AS artifact, v.version, v.location, p.ecosystem, p.name AS packageName, p.version AS packageVersion,
  c.purl, c.direct, c.path, c.registry, m.advisory_id AS advisoryId, d.vuln_key AS vulnKey, d.aliases,
  d.severity, d.severity_source AS severitySource, d.summary, m.fixed`;

type RawMatch = Omit<MatchRow, 'direct' | 'path' | 'aliases' | 'fixed'> & { direct: number; path: string; aliases: string; fixed: string };

/** JSON columns repeat across rows (the same advisory's aliases, the same fix list), so each distinct text is parsed once. */
function decoder(): (rows: RawMatch[]) => MatchRow[] {
  const parsed = new Map<string, unknown>();
  const json = <T>(text: string): T => {
    let value = parsed.get(text);
    if (value === undefined) {
      value = JSON.parse(text);
      parsed.set(text, value);
    }
    return value as T;
  };
  // Each raw row is a fresh object, so it is converted in place: a full pass reads 20,000+ rows, and a spread copy of
  // each doubled what the read allocates (object spreads also behaved badly under V8's GC: see insertFinding).
  return (rows) => rows.map((row) => Object.assign(row, { direct: row.direct === 1, path: json(row.path), aliases: json(row.aliases), fixed: json(row.fixed) }) as unknown as MatchRow);
}

/**
 * Every current (artifact version, component, advisory) match for artifacts of these sources. Driven from the match
 * table (CROSS JOIN fixes SQLite's join order): matches are few, components are many.
 */
export function currentMatches(db: Db, sources: readonly string[]): MatchRow[] {
  if (sources.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT ${MATCH_COLUMNS}
       FROM deps_package_matches m
       CROSS JOIN deps_components c ON c.package_id = m.package_id
       CROSS JOIN deps_artifact_versions v ON v.id = c.version_id
       CROSS JOIN deps_artifacts a ON a.id = v.artifact_id
       JOIN deps_packages p ON p.id = m.package_id
       JOIN deps_advisories d ON d.id = m.advisory_id
       WHERE a.source IN (${sources.map(() => '?').join(',')})
       ORDER BY a.source, a.name, v.version, d.vuln_key, p.ecosystem, p.name, p.version, m.advisory_id`,
    )
    .all(...sources) as RawMatch[];
  return decoder()(rows);
}

/** The current matches of some artifact versions (by id), read through each version's components. */
export function matchesOfVersions(db: Db, versionIds: readonly number[]): MatchRow[] {
  const select = db.prepare(
    `SELECT ${MATCH_COLUMNS}
     FROM deps_components c
     JOIN deps_package_matches m ON m.package_id = c.package_id
     JOIN deps_artifact_versions v ON v.id = c.version_id
     JOIN deps_artifacts a ON a.id = v.artifact_id
     JOIN deps_packages p ON p.id = m.package_id
     JOIN deps_advisories d ON d.id = m.advisory_id
     WHERE c.version_id = ?
     ORDER BY d.vuln_key, p.ecosystem, p.name, p.version, m.advisory_id`,
  );
  const decode = decoder();
  return versionIds.flatMap((id) => decode(select.all(id) as RawMatch[]));
}

export interface StoredVersion {
  readonly id: number;
  readonly source: string;
  readonly artifact: string;
  readonly version: string;
}

/** Every stored artifact version of these sources. */
export function versionsOf(db: Db, sources: readonly string[]): StoredVersion[] {
  if (sources.length === 0) return [];
  return db
    .prepare(
      `SELECT v.id, a.source, a.name AS artifact, v.version FROM deps_artifact_versions v JOIN deps_artifacts a ON a.id = v.artifact_id
       WHERE a.source IN (${sources.map(() => '?').join(',')}) ORDER BY a.source, a.name, v.version`,
    )
    .all(...sources) as StoredVersion[];
}

/** The newest entry of the match log (0 when empty): what a run that saw everything up to now has seen. */
export function matchLogHead(db: Db): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM deps_match_log').get() as { seq: number }).seq;
}

/** (artifact version id, `ecosystem\0name`) pairs: the unit a run reports and covers. */
export type ChangedPairs = Map<number, Set<string>>;

export const pairKey = (ecosystem: string, name: string) => `${ecosystem}\u0000${name}`;

/**
 * What changed after `since` up to `head`, as the (artifact version, package) pairs whose findings may differ: every
 * component of a package whose matches changed, every matched component of an added or re-parsed version, and the
 * matched packages a re-parsed version lost; or 'full' for a log written by an older Vigil that re-matched everything.
 */
export function changedSince(db: Db, since: number, head: number): { full: true } | { full: false; pairs: ChangedPairs } {
  if (db.prepare(`SELECT 1 FROM deps_match_log WHERE seq > ? AND seq <= ? AND change = 'full' LIMIT 1`).get(since, head)) return { full: true };
  const rows = db
    .prepare(
      `SELECT c.version_id AS id, p.ecosystem, p.name
       FROM (SELECT DISTINCT package_id FROM deps_match_log WHERE seq > ? AND seq <= ? AND package_id IS NOT NULL AND version_id IS NULL) l
       CROSS JOIN deps_components c ON c.package_id = l.package_id
       JOIN deps_packages p ON p.id = c.package_id
       UNION
       SELECT c.version_id, p.ecosystem, p.name
       FROM (SELECT DISTINCT version_id FROM deps_match_log WHERE seq > ? AND seq <= ? AND version_id IS NOT NULL AND package_id IS NULL) l
       CROSS JOIN deps_components c ON c.version_id = l.version_id
       JOIN deps_packages p ON p.id = c.package_id
       WHERE EXISTS (SELECT 1 FROM deps_package_matches m WHERE m.package_id = c.package_id)
       UNION
       SELECT l.version_id, p.ecosystem, p.name FROM deps_match_log l JOIN deps_packages p ON p.id = l.package_id
       WHERE l.seq > ? AND l.seq <= ? AND l.version_id IS NOT NULL AND l.package_id IS NOT NULL`,
    )
    .all(since, head, since, head, since, head) as { id: number; ecosystem: string; name: string }[];
  const pairs: ChangedPairs = new Map();
  for (const row of rows) {
    const names = pairs.get(row.id) ?? new Set<string>();
    names.add(pairKey(row.ecosystem, row.name));
    pairs.set(row.id, names);
  }
  return { full: false, pairs };
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

export interface LoggedResolution {
  readonly versionId: number;
  readonly resourceId: string;
  readonly key: string;
  readonly reason: string;
}

/**
 * Why findings in the changed pairs may have gone, from the match log: a withdrawn advisory is `retracted`, a changed
 * one that no longer covers the installed version says the data now calls it `fixed`, and a package a re-released
 * version no longer contains is `removed`. Keyed like the check's findings; the ledger uses a reason only for a finding
 * that did resolve.
 */
export function loggedResolutions(db: Db, since: number, head: number): LoggedResolution[] {
  const advisoryRows = db
    .prepare(
      `SELECT DISTINCT c.version_id AS versionId, a.source, a.name AS artifact, v.version, p.ecosystem, p.name, p.version AS packageVersion,
              l.advisory_id AS advisoryId, d.vuln_key AS vulnKey, l.change
       FROM deps_match_log l
       JOIN deps_advisories d ON d.id = l.advisory_id
       JOIN deps_components c ON c.package_id = l.package_id
       JOIN deps_packages p ON p.id = c.package_id
       JOIN deps_artifact_versions v ON v.id = c.version_id
       JOIN deps_artifacts a ON a.id = v.artifact_id
       WHERE l.seq > ? AND l.seq <= ? AND l.version_id IS NULL AND l.change IN ('withdrawn', 'changed')`,
    )
    .all(since, head) as { versionId: number; source: string; artifact: string; version: string; ecosystem: string; name: string; packageVersion: string; advisoryId: string; vulnKey: string; change: string }[];
  const removedRows = db
    .prepare(
      `SELECT DISTINCT l.version_id AS versionId, a.source, a.name AS artifact, v.version, p.ecosystem, p.name, d.vuln_key AS vulnKey
       FROM deps_match_log l
       JOIN deps_packages p ON p.id = l.package_id
       JOIN deps_package_matches m ON m.package_id = l.package_id
       JOIN deps_advisories d ON d.id = m.advisory_id
       JOIN deps_artifact_versions v ON v.id = l.version_id
       JOIN deps_artifacts a ON a.id = v.artifact_id
       WHERE l.seq > ? AND l.seq <= ? AND l.version_id IS NOT NULL AND l.package_id IS NOT NULL`,
    )
    .all(since, head) as { versionId: number; source: string; artifact: string; version: string; ecosystem: string; name: string; vulnKey: string }[];
  return [
    ...advisoryRows.map((r) => ({
      versionId: r.versionId,
      resourceId: `${r.source}/${r.artifact}@${r.version}`,
      key: `${r.vulnKey} ${r.ecosystem}/${r.name}`,
      reason: r.change === 'withdrawn' ? `retracted: ${r.advisoryId} was withdrawn` : `fixed: ${r.advisoryId} no longer lists ${r.name} ${r.packageVersion} as affected`,
    })),
    ...removedRows.map((r) => ({
      versionId: r.versionId,
      resourceId: `${r.source}/${r.artifact}@${r.version}`,
      key: `${r.vulnKey} ${r.ecosystem}/${r.name}`,
      reason: `removed: ${r.artifact}@${r.version} was re-registered without ${r.name}`,
    })),
  ];
}
