import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../../checks/registry.js';
import { executeRun } from '../../../jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
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
      { checks: registry, log: silentLogger, services: { depsDb: db } },
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
    expect(second.summary).toMatchObject({ seen: 4, new: 3, resolved: 0 });
    const minimist = second.result.findings.find((f) => f.key?.includes('minimist'))!;
    expect(minimist.evidence).toMatchObject({ direct: false, dependencyPaths: ['express > minimist'] });

    // A run with nothing new re-reads no artifact and alerts on nothing.
    const third = await run();
    expect(third.result.findings).toHaveLength(4);
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
    expect((db.prepare(`SELECT status FROM findings`).get() as { status: string }).status).toBe('open');
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
