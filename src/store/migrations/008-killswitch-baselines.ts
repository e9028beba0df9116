import type { Migration } from './index.js';

/**
 * Approved kill-switch baselines (checks/killswitch): the intended settings the kill switch restores, one row per
 * approved version so the history of who widened or narrowed a baseline, and when, is kept. The newest version of a
 * (kind, target) is the active one; a revert is a new version that copies an old one.
 */
export const m008KillswitchBaselines: Migration = {
  version: 8,
  name: 'killswitch-baselines',
  sql: `
CREATE TABLE killswitch_baselines (
  id INTEGER PRIMARY KEY,
  -- guardduty, guardduty-members, cloudtrail, config, securityhub, scc, scc-silencing
  kind TEXT NOT NULL,
  -- the job (target id) whose checks use it
  target_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  -- JSON, validated against the kind's schema before it is written
  baseline TEXT NOT NULL,
  -- sha256 of the canonical JSON: approving the same settings again adds no version
  digest TEXT NOT NULL,
  -- capture (read from the cloud), file (an edited YAML/JSON), revert (a copy of an older version)
  source TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  approved_at INTEGER NOT NULL,
  UNIQUE (kind, target_id, version)
);
`,
};
