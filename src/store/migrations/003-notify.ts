import type { Migration } from './index.js';

/**
 * Delivery state for alerts and tickets (src/notify, src/tickets):
 * - `outbox.fanned_out_at`: when the dispatcher turned an outbox row into per-sink deliveries (in one transaction, so
 *   a crash either planned all of a row's deliveries or none).
 * - `notify_deliveries`: one row per (outbox row, sink), retried with backoff, dead after N attempts. `group_key`
 *   ties a run's deliveries to one digest message and doubles as the idempotency key sent to the sink; `order_key`
 *   (fingerprint, or the ticket group) keeps one finding's events in order for event sinks such as Jira.
 * - `sink_gates`: a sink that answered 429 is not called again before its Retry-After, across restarts.
 * - `alert_state`: when a route (or a PagerDuty sink) last alerted on a finding; drives repeat reminders and resolves.
 * - `ticket_links`: fingerprint (or check+resource group) → Jira issue key. Authoritative, because Jira Cloud's
 *   search lags behind creates; `create_started_at` marks a create whose response may have been lost.
 * - `ticket_comments`: markers of comments being or already posted, so a replayed event never comments twice; a
 *   'posting' marker (response lost) is checked against the comments before posting again.
 */
export const m003Notify: Migration = {
  version: 3,
  name: 'notify',
  sql: `
ALTER TABLE outbox ADD COLUMN fanned_out_at INTEGER;
CREATE INDEX outbox_unplanned ON outbox(id) WHERE status = 'pending' AND fanned_out_at IS NULL;

CREATE TABLE notify_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  sink TEXT NOT NULL,
  group_key TEXT NOT NULL,
  order_key TEXT,
  route TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead','dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (outbox_id, sink)
);
-- Event sinks walk pending rows in id order; the idle timer asks for the earliest retry time across sinks.
CREATE INDEX notify_deliveries_due ON notify_deliveries(sink, status, id);
CREATE INDEX notify_deliveries_next ON notify_deliveries(status, next_attempt_at);
CREATE INDEX notify_deliveries_group ON notify_deliveries(sink, group_key, status);
CREATE INDEX notify_deliveries_order ON notify_deliveries(sink, order_key, status, outbox_id);

CREATE TABLE sink_gates (
  sink TEXT PRIMARY KEY,
  blocked_until INTEGER NOT NULL,
  reason TEXT NOT NULL
);

CREATE TABLE alert_state (
  scope TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  first_alerted_at INTEGER NOT NULL,
  last_alerted_at INTEGER NOT NULL,
  PRIMARY KEY (scope, fingerprint)
);

CREATE TABLE ticket_links (
  group_key TEXT PRIMARY KEY,
  issue_key TEXT,
  issue_id TEXT,
  label TEXT NOT NULL,
  create_started_at INTEGER,
  state TEXT NOT NULL CHECK (state IN ('creating','open','done','wont_do')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ticket_links_issue ON ticket_links(issue_key) WHERE issue_key IS NOT NULL;

CREATE TABLE ticket_comments (
  issue_key TEXT NOT NULL,
  marker TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('posting','posted')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (issue_key, marker)
);
`,
};
