import type { Migration } from './index.js';

/**
 * Dependency rescans (checks/deps): a log of what changed in the match state, so a run reports only the artifact
 * versions whose findings can have changed since its cursor instead of every finding of every release. A row names an
 * artifact version (added or re-parsed), or a package whose matches for one advisory changed and how ('changed', or
 * 'withdrawn' when the advisory was retracted); `full` rows (nothing named) mean everything was re-matched.
 */
export const m012DepsMatchLog: Migration = {
  version: 12,
  name: 'deps-match-log',
  sql: `
CREATE TABLE deps_match_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  version_id INTEGER,
  package_id INTEGER,
  advisory_id TEXT,
  change TEXT NOT NULL,
  at INTEGER NOT NULL
);
`,
};
