import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { component } from '../../../../checks/deps/model.js';
import { parseOsvRecord } from '../../../../checks/deps/osv/schema.js';
import { upsertAdvisories } from '../../../../checks/deps/store/advisory-store.js';
import { currentMatches, recordArtifactVersion } from '../../../../checks/deps/store/inventory-store.js';
import { matchAll } from '../../../../checks/deps/store/matcher.js';
import { openStore, type Db } from '../../../../src/store/db.js';
import { useTempDir } from '../../../builders/temp-dir.js';

const tempDir = useTempDir('vigil-deps-names-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const advisory = (id: string, ecosystem: string, name: string, fixed: string) =>
  parseOsvRecord({ id, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] });

function release(db: Db, version: string, components: ReturnType<typeof component>[]): void {
  recordArtifactVersion(db, { source: 'ci', name: 'svc', version, digest: `d-${version}`, location: '', files: [{ path: 'packages.lock.json', format: 'nuget-lock', components }], errors: [] }, Date.now());
}

const matched = (db: Db) => currentMatches(db, ['ci']).map((row) => `${row.version} ${row.ecosystem} ${row.packageName}@${row.packageVersion} ${row.advisoryId}`).sort();

describe('package names compared the way their registry compares them', () => {
  it('NuGet and Packagist names match without case on arrival, on advisory change and in a full re-match; npm stays exact', () => {
    const db = openStore(join(tempDir(), 'ledger.db'));
    open.push(db);
    // The advisory is stored first: the release is matched on arrival.
    upsertAdvisories(db, 'osv', [advisory('GHSA-nuget-0001', 'NuGet', 'newtonsoft.json', '13.0.1'), advisory('GHSA-npm-0001', 'npm', 'jsonstream', '2.0.0')], Date.now());
    release(db, '1.0.0', [component('NuGet', 'Newtonsoft.Json', '12.0.3'), component('npm', 'JSONStream', '1.0.0')]);
    expect(matched(db)).toEqual(['1.0.0 NuGet Newtonsoft.Json@12.0.3 GHSA-nuget-0001']);

    // The advisory arrives after the release: the re-match of the changed advisory finds it too.
    release(db, '1.1.0', [component('Packagist', 'Symfony/Http-Kernel', '6.4.1')]);
    upsertAdvisories(db, 'osv', [advisory('GHSA-php-0001', 'Packagist', 'symfony/http-kernel', '6.4.2')], Date.now());
    expect(matched(db)).toEqual(['1.0.0 NuGet Newtonsoft.Json@12.0.3 GHSA-nuget-0001', '1.1.0 Packagist Symfony/Http-Kernel@6.4.1 GHSA-php-0001']);

    // A full re-match from scratch gives the same matches, each once.
    expect(matchAll(db, Date.now())).toBe(2);
    expect(matched(db)).toEqual(['1.0.0 NuGet Newtonsoft.Json@12.0.3 GHSA-nuget-0001', '1.1.0 Packagist Symfony/Http-Kernel@6.4.1 GHSA-php-0001']);
  });
});
