import type { Db } from '../../../src/store/db.js';
import { matchEcosystem, normalizePackageName } from '../model.js';
import { advisorySeverity, vulnerabilityKey } from '../osv/severity.js';
import type { OsvRecord } from '../osv/schema.js';
import { rematchAdvisories } from './matcher.js';

export interface UpsertSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
  /** Package-version matches written by the re-match of the changed advisories. */
  readonly matched: number;
  readonly changedIds: readonly string[];
}

/**
 * The (ecosystem, name) pairs an advisory is indexed under: language ecosystems without their suffix, distributions
 * with their release (see matchEcosystem); names in the form their registry compares them (normalizePackageName).
 */
export function advisoryPackages(record: OsvRecord): { ecosystem: string; name: string }[] {
  const seen = new Map<string, { ecosystem: string; name: string }>();
  for (const entry of record.affected ?? []) {
    if (!entry.package) continue;
    const ecosystem = matchEcosystem(entry.package.ecosystem);
    const name = normalizePackageName(ecosystem, entry.package.name);
    seen.set(`${ecosystem}\u0000${name}`, { ecosystem, name });
  }
  return [...seen.values()];
}

/**
 * Writes advisories whose `modified` differs from what is stored, and re-matches exactly those, in one transaction:
 * a crash between import and match cannot leave matches computed from advisory data that is no longer stored.
 */
export function upsertAdvisories(db: Db, feed: string, records: readonly OsvRecord[], now: number, extra?: () => void): UpsertSummary {
  return db.transaction((): UpsertSummary => {
    const current = db.prepare('SELECT modified, withdrawn FROM deps_advisories WHERE id = ?');
    const write = db.prepare(
      `INSERT OR REPLACE INTO deps_advisories (id, feed, modified, withdrawn, vuln_key, aliases, severity, severity_source, summary, body, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const dropPackages = db.prepare('DELETE FROM deps_advisory_packages WHERE advisory_id = ?');
    // Logged before the write: REPLACE deletes the old row, and its matches go with it (ON DELETE CASCADE).
    const logPrevious = db.prepare(`INSERT INTO deps_match_log (package_id, advisory_id, change, at) SELECT package_id, advisory_id, ?, ? FROM deps_package_matches WHERE advisory_id = ?`);
    const addPackage = db.prepare('INSERT OR IGNORE INTO deps_advisory_packages (ecosystem, name, advisory_id) VALUES (?, ?, ?)');
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    let withdrawn = 0;
    const changed: OsvRecord[] = [];
    for (const record of records) {
      const stored = current.get(record.id) as { modified: string; withdrawn: string | null } | undefined;
      if (stored && stored.modified === record.modified && (stored.withdrawn ?? undefined) === record.withdrawn) {
        unchanged += 1;
        continue;
      }
      if (stored) updated += 1;
      else added += 1;
      if (record.withdrawn) withdrawn += 1;
      const severity = advisorySeverity(record);
      if (stored) logPrevious.run(record.withdrawn ? 'withdrawn' : 'changed', now, record.id);
      write.run(
        record.id,
        feed,
        record.modified,
        record.withdrawn ?? null,
        vulnerabilityKey(record),
        JSON.stringify(record.aliases ?? []),
        severity.severity,
        severity.source,
        record.summary ?? (record.details ?? '').split('\n')[0]!.slice(0, 200),
        JSON.stringify(record),
        now,
      );
      dropPackages.run(record.id);
      for (const { ecosystem, name } of advisoryPackages(record)) addPackage.run(ecosystem, name, record.id);
      changed.push(record);
    }
    const matched = rematchAdvisories(db, changed, advisoryPackages, now);
    extra?.();
    return { added, updated, unchanged, withdrawn, matched, changedIds: changed.map((r) => r.id) };
  }).immediate();
}

/** Records removed from a feed are withdrawn, not deleted (osv.dev's own rule), so their findings resolve as retracted. */
export function withdrawMissing(db: Db, feed: string, present: ReadonlySet<string>, now: number): UpsertSummary {
  // Ids first: a feed of 100,000 records would otherwise read every body to find the few that left.
  const stored = db.prepare('SELECT id FROM deps_advisories WHERE feed = ? AND withdrawn IS NULL').all(feed) as { id: string }[];
  const body = db.prepare('SELECT body FROM deps_advisories WHERE id = ?');
  const gone = stored.filter((row) => !present.has(row.id)).map((row) => {
    const record = JSON.parse((body.get(row.id) as { body: string }).body) as OsvRecord;
    return { ...record, withdrawn: new Date(now).toISOString(), modified: new Date(now).toISOString() };
  });
  return upsertAdvisories(db, feed, gone, now);
}

export function feedWatermark(db: Db, feed: string): string {
  return (db.prepare('SELECT watermark FROM deps_feed_state WHERE feed = ?').get(feed) as { watermark: string } | undefined)?.watermark ?? '';
}

export function setFeedWatermark(db: Db, feed: string, watermark: string, now: number): void {
  db.prepare('INSERT INTO deps_feed_state (feed, watermark, synced_at) VALUES (?, ?, ?) ON CONFLICT(feed) DO UPDATE SET watermark = excluded.watermark, synced_at = excluded.synced_at').run(
    feed,
    watermark,
    now,
  );
}
