import type { Db } from '../store/db.js';

export type TicketState = 'creating' | 'open' | 'done' | 'wont_do';

export interface TicketLink {
  readonly groupKey: string;
  readonly issueKey: string | null;
  readonly issueId: string | null;
  readonly label: string;
  readonly createStartedAt: number | null;
  readonly state: TicketState;
}

/** The authoritative fingerprint (or group) → Jira issue mapping, and comment markers; each write commits at once. */
export function ticketLinks(db: Db) {
  const get = db.prepare(`SELECT * FROM ticket_links WHERE group_key = ?`);
  return {
    get(groupKey: string): TicketLink | undefined {
      const row = get.get(groupKey) as
        | { group_key: string; issue_key: string | null; issue_id: string | null; label: string; create_started_at: number | null; state: TicketState }
        | undefined;
      if (!row) return undefined;
      return { groupKey: row.group_key, issueKey: row.issue_key, issueId: row.issue_id, label: row.label, createStartedAt: row.create_started_at, state: row.state };
    },
    /** Written and committed before the POST: after a crash we know a create may have happened. */
    startCreate(groupKey: string, label: string, now: number): void {
      db.prepare(
        `INSERT INTO ticket_links (group_key, label, create_started_at, state, created_at, updated_at) VALUES (?, ?, ?, 'creating', ?, ?)
         ON CONFLICT (group_key) DO UPDATE SET create_started_at = excluded.create_started_at, state = 'creating', updated_at = excluded.updated_at`,
      ).run(groupKey, label, now, now, now);
    },
    /** Jira refused the create, so nothing exists: the next attempt may create without waiting for search. */
    abandonCreate(groupKey: string): void {
      db.prepare(`DELETE FROM ticket_links WHERE group_key = ? AND issue_key IS NULL`).run(groupKey);
    },
    linked(groupKey: string, issueKey: string, issueId: string, now: number): void {
      db.prepare(`UPDATE ticket_links SET issue_key = ?, issue_id = ?, state = 'open', create_started_at = NULL, updated_at = ? WHERE group_key = ?`).run(
        issueKey,
        issueId,
        now,
        groupKey,
      );
    },
    setState(groupKey: string, state: TicketState, now: number): void {
      db.prepare(`UPDATE ticket_links SET state = ?, updated_at = ? WHERE group_key = ?`).run(state, now, groupKey);
    },
    commentState(issueKey: string, marker: string): 'posting' | 'posted' | undefined {
      const row = db.prepare(`SELECT state FROM ticket_comments WHERE issue_key = ? AND marker = ?`).get(issueKey, marker) as { state: 'posting' | 'posted' } | undefined;
      return row?.state;
    },
    commentPosting(issueKey: string, marker: string, now: number): void {
      db.prepare(`INSERT INTO ticket_comments (issue_key, marker, state, updated_at) VALUES (?, ?, 'posting', ?) ON CONFLICT DO NOTHING`).run(issueKey, marker, now);
    },
    commentPosted(issueKey: string, marker: string, now: number): void {
      db.prepare(
        `INSERT INTO ticket_comments (issue_key, marker, state, updated_at) VALUES (?, ?, 'posted', ?)
         ON CONFLICT (issue_key, marker) DO UPDATE SET state = 'posted', updated_at = excluded.updated_at`,
      ).run(issueKey, marker, now);
    },
  };
}
