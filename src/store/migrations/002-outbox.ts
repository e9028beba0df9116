import type { Migration } from './index.js';

/**
 * Alerts and ticket operations are rows written in the run's own transaction, so a crash between "finding changed"
 * and "alert sent" cannot lose the alert. Delivery state per sink lives with the dispatcher.
 */
export const m002Outbox: Migration = {
  version: 2,
  name: 'outbox',
  sql: `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  event_id INTEGER REFERENCES finding_events(id) ON DELETE SET NULL,
  run_id TEXT,
  fingerprint TEXT,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
CREATE INDEX outbox_created ON outbox(created_at);
`,
};
