import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handOffArtifact } from '../../../checks/deps/collect/handoff.js';
import { registry } from '../../../checks/registry.js';
import { executeRun } from '../../../jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
import { readCursors } from '../../../src/store/queries/runs.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { packageLockV3, writeAdvisory, writeFile } from './support/fixtures.js';

const tempDir = useTempDir('vigil-deps-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function setup() {
  const root = tempDir();
  const releases = join(root, 'releases');
  const feed = join(root, 'osv');
  const db = openStore(join(root, 'ledger.db'));
  open.push(db);
  const options = {
    sources: [{ kind: 'local', name: 'releases', path: releases }],
    advisories: [{ kind: 'osv-dir', name: 'osv', path: feed }],
  };
  let n = 0;
  const run = async (overrides: Record<string, unknown> = {}) => {
    n += 1;
    const result = await executeRun(
      { runId: `run-${n}`, checkId: 'deps.vulnerable-components', targetId: 'releases', trigger: 'cli', options: { ...options, ...overrides }, timeoutMs: 20_000 },
      { checks: registry, log: silentLogger, services: { depsDb: db }, readCursors: (checkId, targetId) => readCursors(db, checkId, targetId) },
    );
    const summary = recordRun(db, result);
    const newFindings = db.prepare(`SELECT f.resource_id || ' ' || f.key AS id FROM outbox o JOIN findings f ON f.fingerprint = o.fingerprint WHERE o.run_id = ? AND o.topic = 'finding.new' ORDER BY 1`).all(result.runId) as { id: string }[];
    return { result, summary, newFindings: newFindings.map((r) => r.id) };
  };
  return { root, releases, feed, db, run };
}

describe('deps.vulnerable-components rescans', () => {
  it('matches released lockfiles and SBOMs, then alerts only on artifacts that newly became affected', async () => {
    const { releases, feed, db, run } = setup();
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), packageLockV3({ lodash: '^4.17.0', express: '^4.0.0' }, {
      'node_modules/lodash': { version: '4.17.20' },
      'node_modules/express': { version: '4.17.1', dependencies: { minimist: '^1.2.0' } },
      'node_modules/minimist': { version: '1.2.0' },
    }));
    writeFile(join(releases, 'web', '1.1.0', 'package-lock.json'), packageLockV3({ lodash: '^4.17.0' }, { 'node_modules/lodash': { version: '4.17.21' } }));
    writeFile(join(releases, 'api', '2.0.0', 'requirements.txt'), 'Django==4.2.0 ; python_version >= "3.8"\nrequests==2.31.0 --hash=sha256:abc\n# comment\nflask>=2\n');
    writeFile(join(releases, 'tool.cdx.json'), {
      bomFormat: 'CycloneDX', specVersion: '1.5',
      metadata: { component: { 'bom-ref': 'root', name: 'tool', version: '3.0.0' } },
      components: [{ 'bom-ref': 'j', name: 'jinja2', version: '3.1.2', purl: 'pkg:pypi/Jinja2@3.1.2' }],
      dependencies: [{ ref: 'root', dependsOn: ['j'] }],
    });
    writeAdvisory(feed, { id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', aliases: ['CVE-2021-23337'], severity: 'HIGH', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });

    const first = await run();
    expect(first.result.outcome).toBe('ok');
    expect(first.newFindings).toEqual(['releases/web@1.0.0 CVE-2021-23337 npm/lodash']);
    const lodash = first.result.findings[0]!;
    expect(lodash.severity).toBe('high');
    expect(lodash.evidence).toMatchObject({ fixedVersions: ['4.17.21'], direct: true, dependencyPaths: ['lodash'], registries: ['https://registry.npmjs.org'] });

    // New advisories: exactly the artifacts they name become affected; the known lodash finding does not alert again.
    writeAdvisory(feed, { id: 'PYSEC-2023-100', ecosystem: 'PyPI', name: 'django', aliases: ['CVE-2023-31047'], events: [{ introduced: '4.2' }, { fixed: '4.2.2' }] });
    writeAdvisory(feed, { id: 'GHSA-vh95-rmgr-6w4m', ecosystem: 'npm', name: 'minimist', aliases: ['CVE-2020-7598'], events: [{ introduced: '0' }, { fixed: '1.2.2' }] });
    writeAdvisory(feed, { id: 'GHSA-h5c8-rqwp-cp95', ecosystem: 'PyPI', name: 'Jinja2', events: [{ introduced: '0' }, { fixed: '3.1.3' }] });
    writeAdvisory(feed, { id: 'PYSEC-2099-1', ecosystem: 'PyPI', name: 'requests', events: [{ introduced: '3.0' }] });
    const second = await run();
    expect(second.result.outcome).toBe('ok');
    expect(second.newFindings).toEqual([
      'releases/api@2.0.0 CVE-2023-31047 PyPI/django',
      'releases/tool@3.0.0 GHSA-h5c8-rqwp-cp95 PyPI/jinja2',
      'releases/web@1.0.0 CVE-2020-7598 npm/minimist',
    ]);
    // Only the pairs the new advisories touched are reported: the lodash finding is left as it was.
    expect(second.summary).toMatchObject({ seen: 3, new: 3, resolved: 0 });
    const minimist = second.result.findings.find((f) => f.key?.includes('minimist'))!;
    expect(minimist.evidence).toMatchObject({ direct: false, dependencyPaths: ['express > minimist'] });

    // A run with nothing new re-reads no artifact and alerts on nothing.
    const third = await run();
    expect(third.result.findings).toEqual([]);
    expect(third.newFindings).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM deps_artifact_versions').get() as { n: number }).n).toBe(4);

    // Withdrawing an advisory resolves its finding; the others stay open.
    writeAdvisory(feed, { id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', aliases: ['CVE-2021-23337'], modified: '2026-03-01T00:00:00Z', withdrawn: '2026-03-01T00:00:00Z', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    const fourth = await run();
    expect(fourth.summary).toMatchObject({ new: 0, resolved: 1 });
    const statuses = db.prepare(`SELECT key, status FROM findings ORDER BY key`).all() as { key: string; status: string }[];
    expect(statuses.find((s) => s.key.includes('lodash'))!.status).toBe('resolved');
  });

  it('a source or feed that cannot be read makes the run partial and resolves nothing', async () => {
    const { releases, feed, db, run } = setup();
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), packageLockV3({ lodash: '^4' }, { 'node_modules/lodash': { version: '4.17.20' } }));
    writeAdvisory(feed, { id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    expect((await run()).summary.new).toBe(1);
    const broken = await run({ advisories: [{ kind: 'osv-dir', name: 'osv', path: join(feed, 'missing') }], sources: [{ kind: 'local', name: 'releases', path: releases }] });
    expect(broken.result.outcome).toBe('partial');
    expect(broken.result.coverage.failed[0]).toMatchObject({ scope: 'advisories:osv', error: { message: expect.stringContaining('ENOENT') } });
    expect(broken.summary.resolved).toBe(0);
    const missingSource = await run({ sources: [{ kind: 'local', name: 'releases', path: join(releases, 'nope') }] });
    expect(missingSource.result.outcome).toBe('partial');
    expect(missingSource.summary.resolved).toBe(0);
    expect((db.prepare(`SELECT status FROM findings`).get() as { status: string }).status).toBe('new');
  });

  it('a malformed lockfile is an error naming the file; the artifact\'s other files still count', async () => {
    const { releases, feed, run } = setup();
    writeFile(join(releases, 'svc', '1.0.0', 'frontend', 'package-lock.json'), '{"lockfileVersion": 3, "packages": ');
    writeFile(join(releases, 'svc', '1.0.0', 'backend', 'poetry.lock'), '[[package]]\nname = "Django"\nversion = "4.2.0"\n\n[[package]]\nname = "six"\nversion = "1.16.0"\n');
    writeFile(join(releases, 'svc', '1.0.0', 'README.md'), '# not a lockfile');
    writeAdvisory(feed, { id: 'PYSEC-2023-100', ecosystem: 'PyPI', name: 'django', events: [{ introduced: '4.2' }, { fixed: '4.2.2' }] });
    const first = await run();
    expect(first.result.outcome).toBe('partial');
    expect(first.result.coverage.failed).toEqual([
      { scope: 'source:releases/svc@1.0.0/frontend/package-lock.json', error: { name: 'UnreadableFile', message: expect.stringMatching(/^frontend\/package-lock.json: malformed package-lock: /) } },
    ]);
    expect(first.result.coverage.skipped).toEqual([{ scope: 'source:releases', reason: 'files of no recognised lockfile or SBOM format', count: 1 }]);
    expect(first.result.findings.map((f) => `${f.resourceId} ${f.key}`)).toEqual(['releases/svc@1.0.0 PYSEC-2023-100 PyPI/django']);
    // Parsed once: the next run does not read the artifact again, so the broken file is not reported twice.
    const second = await run();
    expect(second.result.outcome).toBe('ok');
  });

  it('after a full pass, a run reports only the versions an advisory change touched and resolves only there', async () => {
    const { releases, feed, db, run } = setup();
    const lock = (deps: Record<string, string>) => packageLockV3(Object.fromEntries(Object.keys(deps).map((n) => [n, '*'])), Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])));
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), lock({ lodash: '4.17.20', minimist: '1.2.0' }));
    writeFile(join(releases, 'web', '1.1.0', 'package-lock.json'), lock({ lodash: '4.17.21', minimist: '1.2.0' }));
    writeFile(join(releases, 'api', '2.0.0', 'package-lock.json'), lock({ qs: '6.5.2' }));
    writeFile(join(releases, 'cli', '3.0.0', 'package-lock.json'), lock({ chalk: '4.1.0' }));
    writeAdvisory(feed, { id: 'GHSA-lodash', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    writeAdvisory(feed, { id: 'GHSA-qs', ecosystem: 'npm', name: 'qs', events: [{ introduced: '0' }, { fixed: '6.5.3' }] });
    const first = await run();
    expect(first.result.outcome).toBe('ok');
    expect(first.newFindings).toEqual(['releases/api@2.0.0 GHSA-qs npm/qs', 'releases/web@1.0.0 GHSA-lodash npm/lodash']);

    // One new advisory about minimist: exactly web@1.0.0 and web@1.1.0 are looked at again, and both become affected.
    const later = (path: string) => utimesSync(path, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    writeAdvisory(feed, { id: 'GHSA-minimist', ecosystem: 'npm', name: 'minimist', events: [{ introduced: '0' }, { fixed: '1.2.6' }] });
    later(join(feed, 'npm', 'GHSA-minimist.json'));
    const second = await run();
    expect(second.newFindings).toEqual(['releases/web@1.0.0 GHSA-minimist npm/minimist', 'releases/web@1.1.0 GHSA-minimist npm/minimist']);
    expect(second.result.coverage.ok.filter((s) => s.startsWith('source:')).sort()).toEqual(['source:releases/web@1.0.0#npm/minimist', 'source:releases/web@1.1.0#npm/minimist']);
    // Only the minimist pairs were looked at: web@1.0.0's lodash finding and api@2.0.0's qs finding stay open, unresolved.
    expect(second.result.findings.map((f) => `${f.resourceId} ${f.key}`).sort()).toEqual(['releases/web@1.0.0 GHSA-minimist npm/minimist', 'releases/web@1.1.0 GHSA-minimist npm/minimist']);
    expect(second.summary).toMatchObject({ new: 2, resolved: 0 });

    // Withdrawing the qs advisory touches only api@2.0.0, whose finding resolves there.
    writeAdvisory(feed, { id: 'GHSA-qs', ecosystem: 'npm', name: 'qs', modified: '2026-05-01T00:00:00Z', withdrawn: '2026-05-01T00:00:00Z', events: [{ introduced: '0' }, { fixed: '6.5.3' }] });
    later(join(feed, 'npm', 'GHSA-qs.json'));
    const third = await run();
    expect(third.result.coverage.ok.filter((s) => s.startsWith('source:'))).toEqual(['source:releases/api@2.0.0#npm/qs']);
    expect(third.summary).toMatchObject({ seen: 0, new: 0, resolved: 1 });
    const status = (resource: string, key: string) => (db.prepare('SELECT status FROM findings WHERE resource_id = ? AND key = ?').get(resource, key) as { status: string }).status;
    expect(status('releases/api@2.0.0', 'GHSA-qs npm/qs')).toBe('resolved');
    const reasonOf = (resource: string, key: string) =>
      (db.prepare(`SELECT e.reason FROM finding_events e JOIN findings f ON f.fingerprint = e.fingerprint WHERE f.resource_id = ? AND f.key = ? AND e.type = 'resolved' ORDER BY e.id DESC`).get(resource, key) as { reason: string | null }).reason;
    expect(reasonOf('releases/api@2.0.0', 'GHSA-qs npm/qs')).toBe('retracted: GHSA-qs was withdrawn');
    expect(status('releases/web@1.0.0', 'GHSA-lodash npm/lodash')).toBe('new');

    // A run with nothing changed reports no version; a new VEX statement makes the next run a full pass that resolves
    // the suppressed findings everywhere.
    const idle = await run();
    expect(idle.result.findings).toEqual([]);
    expect(idle.summary).toMatchObject({ seen: 0, resolved: 0 });
    const vex = await run({ vex: [{ vulnerability: 'GHSA-minimist', justification: 'code_not_reachable', detail: 'minimist only parses our own flags' }] });
    expect(vex.result.findings.map((f) => `${f.resourceId} ${f.key}`)).toEqual(['releases/web@1.0.0 GHSA-lodash npm/lodash']);
    expect(vex.summary).toMatchObject({ resolved: 2 });
    expect(reasonOf('releases/web@1.1.0', 'GHSA-minimist npm/minimist')).toBe('not_affected (VEX): code_not_reachable: minimist only parses our own flags');

    // A corrected advisory that no longer covers the installed version resolves as fixed, its outbox event says so.
    writeAdvisory(feed, { id: 'GHSA-lodash', ecosystem: 'npm', name: 'lodash', modified: '2026-07-01T00:00:00Z', events: [{ introduced: '0' }, { fixed: '4.17.19' }] });
    later(join(feed, 'npm', 'GHSA-lodash.json'));
    const corrected = await run({ vex: [{ vulnerability: 'GHSA-minimist', justification: 'code_not_reachable', detail: 'minimist only parses our own flags' }] });
    expect(corrected.summary).toMatchObject({ resolved: 1 });
    expect(reasonOf('releases/web@1.0.0', 'GHSA-lodash npm/lodash')).toBe('fixed: GHSA-lodash no longer lists lodash 4.17.20 as affected');
    const outbox = db.prepare(`SELECT payload FROM outbox WHERE run_id = ? AND topic = 'finding.resolved'`).all(corrected.result.runId) as { payload: string }[];
    expect(outbox.map((o) => JSON.parse(o.payload).reason)).toEqual(['fixed: GHSA-lodash no longer lists lodash 4.17.20 as affected']);
  });

  it('a released version re-registered with different content: the package it lost resolves, the rest is looked at again', async () => {
    const { root, feed, db, run } = setup();
    writeAdvisory(feed, { id: 'GHSA-lodash', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    writeAdvisory(feed, { id: 'GHSA-minimist', ecosystem: 'npm', name: 'minimist', events: [{ introduced: '0' }, { fixed: '1.2.6' }] });
    const both = join(root, 'a', 'package-lock.json');
    writeFile(both, packageLockV3({ lodash: '*', minimist: '*' }, { 'node_modules/lodash': { version: '4.17.20' }, 'node_modules/minimist': { version: '1.2.0' } }));
    const one = join(root, 'b', 'package-lock.json');
    writeFile(one, packageLockV3({ minimist: '*' }, { 'node_modules/minimist': { version: '1.2.0' } }));
    const handoff = { handoffSources: ['ci'], sources: [] };
    await run(handoff);
    expect(await handOffArtifact(db, { source: 'ci', name: 'svc', version: '1.0', files: [both] }, 1)).toMatchObject({ outcome: 'added' });
    expect((await run(handoff)).newFindings).toEqual(['ci/svc@1.0 GHSA-lodash npm/lodash', 'ci/svc@1.0 GHSA-minimist npm/minimist']);
    expect(await handOffArtifact(db, { source: 'ci', name: 'svc', version: '1.0', files: [one] }, 2)).toMatchObject({ outcome: 'replaced' });
    const after = await run(handoff);
    expect(after.result.coverage.ok.filter((s) => s.startsWith('source:')).sort()).toEqual(['source:ci/svc@1.0#npm/lodash', 'source:ci/svc@1.0#npm/minimist']);
    expect(after.summary).toMatchObject({ seen: 1, new: 0, resolved: 1 });
    const event = db.prepare(`SELECT e.reason FROM finding_events e JOIN findings f ON f.fingerprint = e.fingerprint WHERE e.type = 'resolved'`).get() as { reason: string };
    expect(event.reason).toBe('removed: svc@1.0 was re-registered without lodash');
  });

  it('an advisory feed that fails after a full pass covers no version, and the next complete run reports the missed changes', async () => {
    const { releases, feed, db, run } = setup();
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), packageLockV3({ lodash: '^4' }, { 'node_modules/lodash': { version: '4.17.20' } }));
    writeAdvisory(feed, { id: 'GHSA-1', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    await run();
    // The advisory is withdrawn through a second feed while the first cannot be read: the run is partial, nothing resolves.
    const other = join(feed, '..', 'osv-2');
    writeAdvisory(other, { id: 'GHSA-1', ecosystem: 'npm', name: 'lodash', modified: '2026-06-01T00:00:00Z', withdrawn: '2026-06-01T00:00:00Z', events: [{ introduced: '0' }] });
    const broken = await run({ advisories: [{ kind: 'osv-dir', name: 'osv', path: join(feed, 'gone') }, { kind: 'osv-dir', name: 'osv-2', path: other }] });
    expect(broken.result.outcome).toBe('partial');
    expect(broken.result.coverage.ok.filter((s) => s.startsWith('source:'))).toEqual([]);
    expect(broken.summary.resolved).toBe(0);
    // The cursor did not move: the next complete run still reports web@1.0.0, and resolves its finding.
    const healed = await run({ advisories: [{ kind: 'osv-dir', name: 'osv-2', path: other }] });
    expect(healed.result.outcome).toBe('ok');
    expect(healed.summary.resolved).toBe(1);
    expect((db.prepare('SELECT status FROM findings').get() as { status: string }).status).toBe('resolved');
  });

  it('re-matches only when the feed changes: an untouched feed file is not read again', async () => {
    const { releases, feed, db, run } = setup();
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), packageLockV3({ lodash: '^4' }, { 'node_modules/lodash': { version: '4.17.20' } }));
    writeAdvisory(feed, { id: 'GHSA-1', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    await run();
    const importedAt = (db.prepare(`SELECT imported_at FROM deps_advisories WHERE id = 'GHSA-1'`).get() as { imported_at: number }).imported_at;
    // Same modified timestamp but a newer mtime: read, found unchanged, not rewritten or re-matched.
    const path = join(feed, 'npm', 'GHSA-1.json');
    const later = new Date(Date.now() + 5_000);
    utimesSync(path, later, later);
    await run();
    expect((db.prepare(`SELECT imported_at FROM deps_advisories WHERE id = 'GHSA-1'`).get() as { imported_at: number }).imported_at).toBe(importedAt);
  });
});
