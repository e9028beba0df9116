import type { Db } from '../../src/store/db.js';
import { findingFromRaw, type FindingRow, type RawFindingRow } from '../../src/store/finding-row.js';
import { findingEvents, type FindingEventRow } from '../../src/store/queries/findings.js';

export interface TicketLink {
  readonly key: string;
  readonly url: string | null;
  readonly status: string | null;
}

export interface FindingDetail {
  readonly finding: FindingRow;
  readonly events: readonly FindingEventRow[];
  readonly ticket: TicketLink | null;
}

export function findingDetail(db: Db, fingerprint: string): FindingDetail | undefined {
  const raw = db.prepare('SELECT * FROM findings WHERE fingerprint = ?').get(fingerprint) as RawFindingRow | undefined;
  if (!raw) return undefined;
  return { finding: findingFromRaw(raw), events: findingEvents(db, fingerprint), ticket: ticketFor(db, fingerprint) };
}

const KEY_COLUMNS = ['issue_key', 'ticket_key', 'key'];
const URL_COLUMNS = ['url', 'issue_url', 'browse_url', 'ticket_url'];
const STATUS_COLUMNS = ['status', 'issue_status'];

/**
 * The ticket linked to a finding. The ticket sync (issue 9) owns that table and may land after this screen, so the
 * table is found by shape: a table named like *ticket* with a fingerprint column and an issue-key column. Until one
 * exists the detail screen says "no ticket".
 */
function ticketFor(db: Db, fingerprint: string): TicketLink | null {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%ticket%' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    const columns = new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name));
    const keyColumn = KEY_COLUMNS.find((c) => columns.has(c));
    if (!columns.has('fingerprint') || !keyColumn) continue;
    const urlColumn = URL_COLUMNS.find((c) => columns.has(c));
    const statusColumn = STATUS_COLUMNS.find((c) => columns.has(c));
    const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
    const row = db
      .prepare(
        `SELECT ${quote(keyColumn)} AS key, ${urlColumn ? quote(urlColumn) : 'NULL'} AS url, ${statusColumn ? quote(statusColumn) : 'NULL'} AS status
         FROM ${quote(name)} WHERE fingerprint = ? ORDER BY rowid DESC LIMIT 1`,
      )
      .get(fingerprint) as { key: unknown; url: unknown; status: unknown } | undefined;
    if (row && row.key !== null) return { key: String(row.key), url: row.url === null ? null : String(row.url), status: row.status === null ? null : String(row.status) };
  }
  return null;
}
