import { LRUCache } from 'lru-cache';
import type { Db } from '../../../src/store/db.js';
import { statement } from '../../../src/store/statement-cache.js';
import { baseEcosystem, CASELESS_ECOSYSTEMS, matchEcosystem, normalizePackageName } from '../model.js';
import { compileAdvisory, evaluateCompiled, type CompiledAdvisory } from '../osv/affected.js';
import type { OsvRecord } from '../osv/schema.js';

interface PackageRow {
  id: number;
  ecosystem: string;
  name: string;
  version: string;
}

/**
 * Compiled advisories by id, valid while their `modified` is unchanged. Artifacts arriving one by one meet the same
 * popular packages' advisories again and again; parsing their JSON each time was the cost of matching on arrival.
 * Least recently used entries go first, and only advisories some stored package version was matched against get in:
 * importing a 100,000-record feed used to fill the cache with records that name nothing in the inventory (150 MB of
 * heap held for nothing).
 */
const compiled = new LRUCache<string, { modified: string; advisory: CompiledAdvisory }>({ max: 5_000 });

function compiledFor(db: Db, id: string, modified: string): CompiledAdvisory {
  const hit = compiled.get(id);
  if (hit && hit.modified === modified) return hit.advisory;
  const row = statement(db, 'SELECT body FROM deps_advisories WHERE id = ?').get(id) as { body: string };
  const advisory = compileAdvisory(JSON.parse(row.body) as OsvRecord);
  compiled.set(id, { modified, advisory });
  return advisory;
}

/**
 * Matches distinct package versions against the advisories that name their package. Runs inside the caller's
 * transaction, so the match table is never out of step with the packages and advisories it was computed from.
 */
export function matchPackages(db: Db, packageIds: readonly number[], now: number): number {
  if (packageIds.length === 0) return 0;
  const select = db.prepare('SELECT id, ecosystem, name, version FROM deps_packages WHERE id = ?');
  const advisoriesFor = db.prepare(
    `SELECT a.id, a.modified FROM deps_advisory_packages p JOIN deps_advisories a ON a.id = p.advisory_id
     WHERE p.ecosystem = ? AND p.name = ? AND a.withdrawn IS NULL`,
  );
  const insert = db.prepare('INSERT OR REPLACE INTO deps_package_matches (package_id, advisory_id, fixed, matched_at) VALUES (?, ?, ?, ?)');
  const byName = new Map<string, { id: string; advisory: CompiledAdvisory }[]>();
  let matched = 0;
  for (const id of packageIds) {
    const pkg = select.get(id) as PackageRow | undefined;
    if (!pkg) continue;
    const ecosystem = matchEcosystem(pkg.ecosystem);
    const indexed = normalizePackageName(ecosystem, pkg.name);
    const key = `${ecosystem}\u0000${indexed}`;
    let advisories = byName.get(key);
    if (!advisories) {
      advisories = (advisoriesFor.all(ecosystem, indexed) as { id: string; modified: string }[]).map((row) => ({ id: row.id, advisory: compiledFor(db, row.id, row.modified) }));
      byName.set(key, advisories);
    }
    for (const { id: advisoryId, advisory } of advisories) {
      const verdict = evaluateCompiled(advisory, pkg.ecosystem, pkg.name, pkg.version);
      if (!verdict.affected) continue;
      insert.run(pkg.id, advisoryId, JSON.stringify(verdict.fixed), now);
      matched += 1;
    }
  }
  return matched;
}

/**
 * Matches every stored package version from scratch (after an upgrade of Vigil's version orders, or to measure the
 * full cost). Only packages whose name some advisory mentions are read, grouped by name, in one pass.
 */
export function matchAll(db: Db, now: number): number {
  return db.transaction(() => {
    // Logged as changes of every package matched before or after, so runs look at exactly those pairs again.
    const log = db.prepare(`INSERT INTO deps_match_log (package_id, change, at) SELECT DISTINCT package_id, 'changed', ? FROM deps_package_matches`);
    log.run(now);
    db.exec('DELETE FROM deps_package_matches');
    const caseless = CASELESS_ECOSYSTEMS.map((e) => `'${e}'`).join(', ');
    const rows = db
      .prepare(
        `SELECT p.id, p.ecosystem, p.name, p.version, a.id AS advisoryId, a.modified
         FROM (SELECT DISTINCT ecosystem, name FROM deps_advisory_packages WHERE ecosystem NOT IN (${caseless})) n
         CROSS JOIN deps_packages p ON p.ecosystem = n.ecosystem AND p.name = n.name
         JOIN deps_advisory_packages ap ON ap.ecosystem = p.ecosystem AND ap.name = p.name
         JOIN deps_advisories a ON a.id = ap.advisory_id AND a.withdrawn IS NULL
         UNION ALL
         SELECT p.id, p.ecosystem, p.name, p.version, a.id AS advisoryId, a.modified
         FROM (SELECT DISTINCT ecosystem, name FROM deps_advisory_packages WHERE ecosystem IN (${caseless})) n
         CROSS JOIN deps_packages p ON p.ecosystem = n.ecosystem AND lower(p.name) = n.name
         JOIN deps_advisory_packages ap ON ap.ecosystem = n.ecosystem AND ap.name = n.name
         JOIN deps_advisories a ON a.id = ap.advisory_id AND a.withdrawn IS NULL`,
      )
      .iterate() as IterableIterator<PackageRow & { advisoryId: string; modified: string }>;
    const insert = db.prepare('INSERT OR REPLACE INTO deps_package_matches (package_id, advisory_id, fixed, matched_at) VALUES (?, ?, ?, ?)');
    const pending: [number, string, string][] = [];
    let matched = 0;
    for (const row of rows) {
      const verdict = evaluateCompiled(compiledFor(db, row.advisoryId, row.modified), row.ecosystem, row.name, row.version);
      if (!verdict.affected) continue;
      pending.push([row.id, row.advisoryId, JSON.stringify(verdict.fixed)]);
      matched += 1;
    }
    // Written after the read finishes: better-sqlite3 cannot write while an iterator on the same connection is open.
    for (const [packageId, advisoryId, fixed] of pending) insert.run(packageId, advisoryId, fixed, now);
    log.run(now);
    return matched;
  }).immediate();
}

/**
 * Re-matches only what changed advisories can affect: their old matches are dropped, and every stored package version
 * of a package they name is evaluated against them again. Withdrawn advisories end with no matches.
 */
export function rematchAdvisories(db: Db, records: readonly OsvRecord[], namesOf: (record: OsvRecord) => { ecosystem: string; name: string }[], now: number): number {
  const previous = db.prepare('SELECT package_id AS id FROM deps_package_matches WHERE advisory_id = ?');
  const drop = db.prepare('DELETE FROM deps_package_matches WHERE advisory_id = ?');
  const packages = db.prepare('SELECT id, ecosystem, name, version FROM deps_packages WHERE ecosystem = ? AND name = ?');
  const packagesCaseless = db.prepare('SELECT id, ecosystem, name, version FROM deps_packages WHERE ecosystem = ? AND lower(name) = ?');
  const insert = db.prepare('INSERT OR REPLACE INTO deps_package_matches (package_id, advisory_id, fixed, matched_at) VALUES (?, ?, ?, ?)');
  const log = db.prepare('INSERT INTO deps_match_log (package_id, advisory_id, change, at) VALUES (?, ?, ?, ?)');
  let matched = 0;
  for (const record of records) {
    // Every package the advisory matched before or matches now may see its findings change (new, gone, or re-worded).
    const touched = new Set((previous.all(record.id) as { id: number }[]).map((r) => r.id));
    drop.run(record.id);
    compiled.delete(record.id);
    if (!record.withdrawn) {
      const advisory = compileAdvisory(record);
      for (const { ecosystem, name } of namesOf(record)) {
        const stored = (CASELESS_ECOSYSTEMS.includes(baseEcosystem(ecosystem)) ? packagesCaseless : packages).all(ecosystem, name) as PackageRow[];
        // Only an advisory about something in the inventory will be looked up again when artifacts arrive.
        if (stored.length > 0) compiled.set(record.id, { modified: record.modified, advisory });
        for (const pkg of stored) {
          const verdict = evaluateCompiled(advisory, pkg.ecosystem, pkg.name, pkg.version);
          if (!verdict.affected) continue;
          insert.run(pkg.id, record.id, JSON.stringify(verdict.fixed), now);
          touched.add(pkg.id);
          matched += 1;
        }
      }
    }
    for (const id of touched) log.run(id, record.id, record.withdrawn ? 'withdrawn' : 'changed', now);
  }
  return matched;
}
