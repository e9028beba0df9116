import type { Migration } from './index.js';

export const m001Ledger: Migration = {
  version: 1,
  name: 'ledger',
  sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  trigger TEXT NOT NULL,
  schedule_id TEXT,
  slot INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok','partial','failed','aborted','timeout','skipped')),
  skip_reason TEXT,
  skip_count INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  error TEXT,
  coverage TEXT NOT NULL DEFAULT '{"ok":[],"failed":[]}',
  findings_seen INTEGER NOT NULL DEFAULT 0,
  findings_new INTEGER NOT NULL DEFAULT 0,
  findings_reopened INTEGER NOT NULL DEFAULT 0,
  findings_resolved INTEGER NOT NULL DEFAULT 0
);
-- One outcome per schedule tick, whoever reports it: the ledger is what makes ticks exactly-once.
CREATE UNIQUE INDEX runs_schedule_slot ON runs(schedule_id, slot) WHERE schedule_id IS NOT NULL;
CREATE INDEX runs_check_started ON runs(check_id, started_at);
CREATE INDEX runs_started ON runs(started_at);

CREATE TABLE findings (
  fingerprint TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  key TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL,
  target_id TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info','low','medium','high','critical')),
  status TEXT NOT NULL CHECK (status IN ('new','open','resolved','reopened')),
  evidence TEXT NOT NULL DEFAULT '{}',
  location TEXT,
  remediation TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  resolved_at INTEGER,
  first_run_id TEXT NOT NULL,
  last_run_id TEXT NOT NULL,
  decision TEXT CHECK (decision IS NULL OR decision IN ('false_positive','accepted','muted')),
  decision_until INTEGER,
  decision_reason TEXT,
  decision_by TEXT,
  decision_at INTEGER
);
CREATE INDEX findings_check_status ON findings(check_id, status);
CREATE INDEX findings_scope ON findings(check_id, scope, status);
CREATE INDEX findings_severity ON findings(severity, status);
CREATE INDEX findings_last_seen ON findings(last_seen);

CREATE TABLE finding_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint TEXT NOT NULL REFERENCES findings(fingerprint) ON DELETE CASCADE,
  run_id TEXT,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor TEXT NOT NULL,
  reason TEXT,
  details TEXT
);
CREATE INDEX finding_events_fingerprint ON finding_events(fingerprint, at);
CREATE INDEX finding_events_at ON finding_events(at);

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint TEXT NOT NULL REFERENCES findings(fingerprint) ON DELETE CASCADE,
  decision TEXT NOT NULL CHECK (decision IN ('false_positive','accepted','muted','cleared')),
  until INTEGER,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX decisions_fingerprint ON decisions(fingerprint, at);

CREATE TABLE cursors (
  check_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (check_id, target_id, key)
);

CREATE TABLE schedule_state (
  schedule_id TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  last_slot INTEGER,
  last_run_id TEXT,
  next_slot INTEGER,
  updated_at INTEGER NOT NULL
);
`,
};
