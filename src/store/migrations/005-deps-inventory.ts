import type { Migration } from './index.js';

/**
 * Dependency rescans (checks/deps): released artifacts parsed once into components, an OSV advisory mirror, and the
 * match state between distinct packages and advisories, so a changed advisory re-matches only the packages it names.
 */
export const m005DepsInventory: Migration = {
  version: 5,
  name: 'deps-inventory',
  sql: `
CREATE TABLE deps_artifacts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (source, name)
);

-- One row per released version; digest is the sha256 of its content, so a re-upload is recognised and never re-parsed.
CREATE TABLE deps_artifact_versions (
  id INTEGER PRIMARY KEY,
  artifact_id INTEGER NOT NULL REFERENCES deps_artifacts(id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  digest TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  released_at INTEGER,
  parsed_at INTEGER NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',
  errors TEXT NOT NULL DEFAULT '[]',
  UNIQUE (artifact_id, version)
);
CREATE INDEX deps_artifact_versions_digest ON deps_artifact_versions(digest);

-- Distinct (ecosystem, name, version): matching works on these, shared by every artifact that contains them.
CREATE TABLE deps_packages (
  id INTEGER PRIMARY KEY,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  UNIQUE (ecosystem, name, version)
);

CREATE TABLE deps_components (
  version_id INTEGER NOT NULL REFERENCES deps_artifact_versions(id) ON DELETE CASCADE,
  package_id INTEGER NOT NULL REFERENCES deps_packages(id),
  registry TEXT NOT NULL DEFAULT '',
  purl TEXT NOT NULL,
  direct INTEGER NOT NULL DEFAULT 0,
  path TEXT NOT NULL DEFAULT '[]',
  file TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (version_id, package_id, registry)
) WITHOUT ROWID;
CREATE INDEX deps_components_package ON deps_components(package_id);

CREATE TABLE deps_advisories (
  id TEXT PRIMARY KEY,
  feed TEXT NOT NULL,
  modified TEXT NOT NULL,
  withdrawn TEXT,
  vuln_key TEXT NOT NULL,
  aliases TEXT NOT NULL DEFAULT '[]',
  severity TEXT NOT NULL,
  severity_source TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  imported_at INTEGER NOT NULL
);
CREATE INDEX deps_advisories_feed ON deps_advisories(feed, modified);

CREATE TABLE deps_advisory_packages (
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  advisory_id TEXT NOT NULL REFERENCES deps_advisories(id) ON DELETE CASCADE,
  PRIMARY KEY (ecosystem, name, advisory_id)
) WITHOUT ROWID;
CREATE INDEX deps_advisory_packages_advisory ON deps_advisory_packages(advisory_id);

-- Match state: which distinct package versions an advisory affects, with the versions that fix them.
CREATE TABLE deps_package_matches (
  package_id INTEGER NOT NULL REFERENCES deps_packages(id) ON DELETE CASCADE,
  advisory_id TEXT NOT NULL REFERENCES deps_advisories(id) ON DELETE CASCADE,
  fixed TEXT NOT NULL DEFAULT '[]',
  matched_at INTEGER NOT NULL,
  PRIMARY KEY (package_id, advisory_id)
) WITHOUT ROWID;
CREATE INDEX deps_package_matches_advisory ON deps_package_matches(advisory_id);

-- Per advisory feed: the sync watermark (latest modified timestamp, or file mtime for directories).
CREATE TABLE deps_feed_state (
  feed TEXT PRIMARY KEY,
  watermark TEXT NOT NULL DEFAULT '',
  synced_at INTEGER NOT NULL
);
`,
};
