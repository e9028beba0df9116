import type { Db } from '../../src/store/db.js';
import { findingFromRaw, type FindingRow, type RawFindingRow } from '../../src/store/finding-row.js';
import { ticketGroupKey } from '../../src/tickets/jira-sync.js';
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

export interface FindingDetailOptions {
  /** Jira's base URL from config (`jira.url`); a ticket's URL is `<base>/browse/<KEY>`. */
  readonly ticketBaseUrl?: string;
}

export function findingDetail(db: Db, fingerprint: string, options: FindingDetailOptions = {}): FindingDetail | undefined {
  const raw = db.prepare('SELECT * FROM findings WHERE fingerprint = ?').get(fingerprint) as RawFindingRow | undefined;
  if (!raw) return undefined;
  const finding = findingFromRaw(raw);
  return { finding, events: findingEvents(db, fingerprint), ticket: ticketFor(db, finding, options.ticketBaseUrl) };
}

/**
 * The Jira issue the ticket sync (src/tickets) linked to this finding: `ticket_links` is keyed by the group the
 * config's `jira.grouping` chose, one finding or one check + resource, so both keys are looked up. The ledger keeps
 * the issue key and the sync's view of its state; the URL is built from the configured Jira base URL.
 */
function ticketFor(db: Db, finding: FindingRow, baseUrl: string | undefined): TicketLink | null {
  // A ledger opened --read-only may predate migration 003 and have no ticket table.
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ticket_links'`).get()) return null;
  const row = db
    .prepare(`SELECT issue_key, state FROM ticket_links WHERE group_key IN (?, ?) AND issue_key IS NOT NULL ORDER BY updated_at DESC LIMIT 1`)
    .get(ticketGroupKey('finding', finding), ticketGroupKey('check-resource', finding)) as { issue_key: string; state: string } | undefined;
  if (!row) return null;
  const url = baseUrl ? `${baseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(row.issue_key)}` : null;
  return { key: row.issue_key, url, status: TICKET_STATE[row.state] ?? row.state };
}

const TICKET_STATE: Record<string, string> = { creating: 'being created', open: 'open', done: 'done', wont_do: "won't do" };
