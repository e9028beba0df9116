import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handOffArtifact } from '../../../checks/deps/collect/handoff.js';
import { registry } from '../../../checks/registry.js';
import { executeRun } from '../../../jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
import { readCursors } from '../../../src/store/queries/runs.js';
import { runCli } from '../../cli/run-cli.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { packageLockV3, writeAdvisory, writeFile } from './support/fixtures.js';

const tempDir = useTempDir('vigil-deps-cli-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function fixture() {
  const dir = tempDir();
  const feed = join(dir, 'osv');
  writeAdvisory(feed, { id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', aliases: ['CVE-2021-23337'], severity: 'HIGH', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
  const v3 = join(dir, 'v3', 'package-lock.json');
  writeFile(v3, packageLockV3({ lodash: '^4' }, { 'node_modules/lodash': { version: '4.17.20' } }));
  return { dir, feed, v3, db: join(dir, 'ledger.db') };
}

describe('CI hand-off', () => {
  it('a re-upload changes nothing; the same release re-registered with a v1 lockfile adds no finding; malformed input stores nothing', async () => {
    const { dir, feed, v3, db: path } = fixture();
    const db = openStore(path);
    open.push(db);
    const options = { handoffSources: ['ci'], advisories: [{ kind: 'osv-dir', name: 'osv', path: feed }] };
    let n = 0;
    const run = async () => {
      const result = await executeRun({ runId: `r${++n}`, checkId: 'deps.vulnerable-components', targetId: 'ci', trigger: 'cli', options, timeoutMs: 20_000 }, { checks: registry, log: silentLogger, services: { depsDb: db }, readCursors: (checkId, targetId) => readCursors(db, checkId, targetId) });
      return recordRun(db, result);
    };
    await run();
    expect(await handOffArtifact(db, { source: 'ci', name: 'web', version: '1.0.0', files: [v3] }, 1)).toMatchObject({ outcome: 'added', components: 1, vulnerable: 1 });
    expect(await run()).toMatchObject({ new: 1 });
    expect(await handOffArtifact(db, { source: 'ci', name: 'web', version: '1.0.0', files: [v3] }, 2)).toMatchObject({ outcome: 'unchanged' });
    const v1 = join(dir, 'v1', 'package-lock.json');
    writeFile(v1, { lockfileVersion: 1, dependencies: { lodash: { version: '4.17.20', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz' } } });
    expect(await handOffArtifact(db, { source: 'ci', name: 'web', version: '1.0.0', files: [v1] }, 3)).toMatchObject({ outcome: 'replaced', components: 1 });
    expect(await run()).toMatchObject({ new: 0, reopened: 0, resolved: 0, seen: 1 });

    const broken = join(dir, 'broken', 'poetry.lock');
    writeFile(broken, '[[package]\nname = ');
    await expect(handOffArtifact(db, { source: 'ci', name: 'x', version: '1', files: [broken] }, 4)).rejects.toThrow(/^poetry.lock: malformed poetry-lock: /);
    await expect(handOffArtifact(db, { source: 'ci', files: [v3] }, 4)).rejects.toThrow('--name and --release are required unless the SBOM names its component');
    expect((db.prepare('SELECT count(*) AS n FROM deps_artifact_versions').get() as { n: number }).n).toBe(1);
  });

  // Five runs of the built binary; each loads the whole CLI, so this test gets more than the default 20 s.
  it('audit artifacts import-osv / add and audit run on the built binary; unknown input exits 2; --fail-on gates', async () => {
    const { dir, feed, v3, db } = fixture();
    const imported = await runCli(['--db', db, 'artifacts', 'import-osv', feed, '--feed', 'osv']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/^osv: 1 added, 0 updated, 0 withdrawn, 0 package match\(es\)/);
    expect(imported.code).toBe(0);

    const added = await runCli(['--db', db, 'artifacts', 'add', v3, '--name', 'web', '--release', '1.0.0']);
    expect(added.stdout).toBe('ci/web@1.0.0: added, 1 component(s); 1 known advisory(ies) match now\n');
    expect(added.code).toBe(0);
    const unknown = join(dir, 'notes.txt');
    writeFile(unknown, 'hello');
    const bad = await runCli(['--db', db, 'artifacts', 'add', unknown, '--name', 'x', '--release', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`audit: error: ${unknown}: unrecognised format (expected a lockfile such as package-lock.json, a CycloneDX/SPDX JSON SBOM, or a jar/war/ear, wheel or npm tarball)\n`);

    const config = join(dir, 'vigil.yaml');
    writeFile(config, `store:\n  path: ${db}\njobs:\n  - name: ci-artifacts\n    check: deps.vulnerable-components\n    options:\n      inventoryDb: ${db}\n      advisories:\n        - { kind: osv-dir, name: osv, path: ${feed} }\n`);
    const gated = await runCli(['--config', config, 'run', 'deps.vulnerable-components', '--format', 'json', '--fail-on', 'high']);
    const parsed = JSON.parse(gated.stdout);
    const findings = (Array.isArray(parsed) ? parsed : parsed.findings) as { resourceId: string; status: string; severity: string }[];
    expect(findings.map((f) => `${f.resourceId} ${f.status} ${f.severity}`)).toEqual(['ci/web@1.0.0 new high']);
    expect(gated.code).toBe(1);

    const vex = await runCli(['--config', config, 'artifacts', 'vex', '--job', 'ci-artifacts']);
    expect(vex.code).toBe(0);
    expect(JSON.parse(vex.stdout).vulnerabilities).toEqual([expect.objectContaining({ id: 'CVE-2021-23337', analysis: { state: 'in_triage' } })]);

    // The spelling, --version, names the artifact's version here (not Vigil's), with or without '='.
    const again = await runCli(['--db', db, 'artifacts', 'add', v3, '--name', 'web', '--version', '1.0.1']);
    expect(again.stdout).toBe('ci/web@1.0.1: added, 1 component(s); 1 known advisory(ies) match now\n');
    const equals = await runCli(['--db', db, 'artifacts', 'add', v3, '--name', 'web', '--version=1.0.2']);
    expect(equals.stdout).toBe('ci/web@1.0.2: added, 1 component(s); 1 known advisory(ies) match now\n');
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);

  }, 120_000);
});
