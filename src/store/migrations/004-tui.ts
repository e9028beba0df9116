import type { Migration } from './index.js';

/** Orders findings by severity rank; the TUI sorts and windows 100k rows on it, so its queries must repeat it verbatim. */
export const SEVERITY_RANK_SQL = `(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;

/**
 * What the terminal UI needs from the ledger:
 * - `run_requests`: "run now" from the TUI (or any other client) reaches a running daemon, which polls this table;
 *   the row is also the record of who asked and why.
 * - `daemon_heartbeat`: one row the daemon refreshes while it polls, so a client can tell whether anyone will pick a
 *   request up (otherwise the TUI runs the check in a child process).
 * - indexes that let the findings list walk 100k rows in each sort order without sorting them first.
 */
export const m004Tui: Migration = {
  version: 4,
  name: 'tui',
  sql: `
CREATE TABLE run_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  check_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','dispatched','rejected','child')),
  handled_at INTEGER,
  detail TEXT
);
CREATE INDEX run_requests_status ON run_requests(status, id);

CREATE TABLE daemon_heartbeat (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  beat_at INTEGER NOT NULL
);

CREATE INDEX findings_tui_severity ON findings(${SEVERITY_RANK_SQL} DESC, first_seen);
CREATE INDEX findings_tui_age ON findings(first_seen);
CREATE INDEX findings_tui_check ON findings(check_id, ${SEVERITY_RANK_SQL} DESC, first_seen);
-- Covers the posture counts (status, check, severity, decision in force) so the overview never touches the table.
CREATE INDEX findings_tui_posture ON findings(status, check_id, severity, decision, decision_until);
CREATE INDEX findings_resolved_at ON findings(resolved_at) WHERE resolved_at IS NOT NULL;
`,
};
