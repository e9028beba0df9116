import type { Migration } from './index.js';

/**
 * NuGet and Packagist package names are compared without case (checks/deps/model.ts, normalizePackageName): advisory
 * index rows are re-keyed to the lower-case name, and packages get an index on `lower(name)` so `Newtonsoft.Json` in a
 * lockfile meets an advisory about `newtonsoft.json` without a scan.
 */
export const m013DepsCaselessNames: Migration = {
  version: 13,
  name: 'deps-caseless-names',
  sql: `
UPDATE OR IGNORE deps_advisory_packages SET name = lower(name) WHERE ecosystem IN ('NuGet', 'Packagist');
DELETE FROM deps_advisory_packages WHERE ecosystem IN ('NuGet', 'Packagist') AND name <> lower(name);
CREATE INDEX deps_packages_caseless ON deps_packages(ecosystem, lower(name));
`,
};
