import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncFeed } from '../../../../checks/deps/collect/osv-feeds.js';
import { recordArtifactVersion } from '../../../../checks/deps/store/inventory-store.js';
import { matchAll } from '../../../../checks/deps/store/matcher.js';
import { component } from '../../../../checks/deps/model.js';
import { openStore, type Db } from '../../../../src/store/db.js';
import { useTempDir } from '../../../builders/temp-dir.js';
import { osv, type AdvisorySpec } from '../support/fixtures.js';
import { buildZip } from '../support/zip.js';

const tempDir = useTempDir('vigil-deps-feed-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function ledger(): Db {
  const db = openStore(join(tempDir(), 'ledger.db'));
  cleanups.push(() => db.close());
  return db;
}

function addArtifact(db: Db, name: string, components: ReturnType<typeof component>[]): void {
  recordArtifactVersion(db, { source: 'releases', name, version: '1.0.0', digest: name, location: '', files: [{ path: 'bom.json', format: 'cyclonedx-json', components }], errors: [] }, 1);
}

const matches = (db: Db) =>
  (db.prepare(`SELECT p.name || '@' || p.version || ' ' || m.advisory_id AS m FROM deps_package_matches m JOIN deps_packages p ON p.id = m.package_id ORDER BY 1`).all() as { m: string }[]).map((r) => r.m);

/** OSV's bucket layout on loopback: `/<ecosystem>/modified_id.csv` (newest first) and `/<ecosystem>/<id>.json`. */
async function osvServer(records: Map<string, AdvisorySpec>): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const [, ecosystem, file] = decodeURI(req.url ?? '').split('/');
    const inEcosystem = [...records.values()].filter((r) => r.ecosystem === ecosystem);
    if (file === 'modified_id.csv') {
      res.end(inEcosystem.sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? '')).map((r) => `${r.modified},${r.id}`).join('\n'));
      return;
    }
    const record = inEcosystem.find((r) => `${r.id}.json` === file);
    if (!record) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.end(record.id === 'BROKEN-1' ? '{"id": "BROKEN-1"' : JSON.stringify(osv(record)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

describe('OSV feeds', () => {
  it('HTTP layout: syncs by the modified watermark, fetching only records newer than the last sync', async () => {
    const db = ledger();
    addArtifact(db, 'api', [component('PyPI', 'Django', '4.2.0'), component('PyPI', 'requests', '2.31.0')]);
    const records = new Map<string, AdvisorySpec>([
      ['PYSEC-1', { id: 'PYSEC-1', ecosystem: 'PyPI', name: 'django', modified: '2026-01-01T00:00:00Z', events: [{ introduced: '4.2' }, { fixed: '4.2.2' }] }],
    ]);
    const { url, requests } = await osvServer(records);
    const feed = { kind: 'osv-http' as const, name: 'osv', url, ecosystems: ['PyPI'], timeoutMs: 5_000 };
    const signal = new AbortController().signal;
    expect(await syncFeed(db, feed, () => 1, signal)).toMatchObject({ added: 1, matched: 1, badRecords: [] });
    expect(matches(db)).toEqual(['django@4.2.0 PYSEC-1']);

    records.set('PYSEC-2', { id: 'PYSEC-2', ecosystem: 'PyPI', name: 'requests', modified: '2026-02-01T00:00:00Z', events: [{ introduced: '2.3' }, { fixed: '2.32.0' }] });
    requests.length = 0;
    expect(await syncFeed(db, feed, () => 2, signal)).toMatchObject({ added: 1, updated: 0, matched: 1 });
    expect(requests).toEqual(['/PyPI/modified_id.csv', '/PyPI/PYSEC-2.json']);
    expect(matches(db)).toEqual(['django@4.2.0 PYSEC-1', 'requests@2.31.0 PYSEC-2']);

    // A corrected range re-matches only its own packages: django 4.2.0 is no longer affected.
    records.set('PYSEC-1', { id: 'PYSEC-1', ecosystem: 'PyPI', name: 'django', modified: '2026-03-01T00:00:00Z', events: [{ introduced: '4.2.1' }, { fixed: '4.2.2' }] });
    requests.length = 0;
    expect(await syncFeed(db, feed, () => 3, signal)).toMatchObject({ updated: 1, matched: 0 });
    expect(requests).toEqual(['/PyPI/modified_id.csv', '/PyPI/PYSEC-1.json']);
    expect(matches(db)).toEqual(['requests@2.31.0 PYSEC-2']);
  });

  it('HTTP layout: a record that cannot be read is named and skipped; an unreachable feed throws and moves no watermark', async () => {
    const db = ledger();
    const records = new Map<string, AdvisorySpec>([['BROKEN-1', { id: 'BROKEN-1', ecosystem: 'npm', name: 'x', modified: '2026-01-01T00:00:00Z', events: [{ introduced: '0' }] }]]);
    const { url } = await osvServer(records);
    const signal = new AbortController().signal;
    const result = await syncFeed(db, { kind: 'osv-http', name: 'osv', url, ecosystems: ['npm'], timeoutMs: 5_000 }, () => 1, signal);
    expect(result.badRecords).toEqual([{ file: 'npm/BROKEN-1.json', reason: expect.stringMatching(/JSON/) }]);
    await expect(syncFeed(db, { kind: 'osv-http', name: 'osv', url, ecosystems: ['Go'], timeoutMs: 5_000 }, () => 1, signal)).resolves.toMatchObject({ added: 0 });
    await expect(syncFeed(db, { kind: 'osv-http', name: 'down', url: 'http://127.0.0.1:1', ecosystems: ['npm'], timeoutMs: 2_000 }, () => 1, signal)).rejects.toThrow(/GET http:\/\/127.0.0.1:1\/npm\/modified_id.csv/);
    expect(db.prepare(`SELECT count(*) AS n FROM deps_feed_state WHERE feed = 'down/npm'`).get()).toEqual({ n: 0 });
  });

  it('all.zip export: imports every record, skips an unchanged zip, withdraws records that left the export', async () => {
    const db = ledger();
    addArtifact(db, 'svc', [component('crates.io', 'time', '0.1.43'), component('Go', 'golang.org/x/net', 'v0.17.0')]);
    const dir = tempDir();
    const zip = join(dir, 'all.zip');
    const rustsec = osv({ id: 'RUSTSEC-2020-0071', ecosystem: 'crates.io', name: 'time', events: [{ introduced: '0.0.0-0' }, { fixed: '0.2.23' }] });
    const go = osv({ id: 'GO-2023-2102', ecosystem: 'Go', name: 'golang.org/x/net', events: [{ introduced: '0' }, { fixed: '0.17.0' }] });
    writeFileSync(zip, buildZip([{ name: 'RUSTSEC-2020-0071.json', content: JSON.stringify(rustsec) }, { name: 'GO-2023-2102.json', content: JSON.stringify(go) }, { name: 'README', content: 'x' }]));
    const signal = new AbortController().signal;
    expect(await syncFeed(db, { kind: 'osv-zip', name: 'osv', path: zip }, () => 1, signal)).toMatchObject({ added: 2, matched: 1 });
    expect(matches(db)).toEqual(['time@0.1.43 RUSTSEC-2020-0071']);
    // A from-scratch re-match agrees with the incremental one.
    expect(matchAll(db, 9)).toBe(1);
    expect(matches(db)).toEqual(['time@0.1.43 RUSTSEC-2020-0071']);
    expect(await syncFeed(db, { kind: 'osv-zip', name: 'osv', path: zip }, () => 2, signal)).toMatchObject({ added: 0, updated: 0 });
    writeFileSync(zip, buildZip([{ name: 'GO-2023-2102.json', content: JSON.stringify(go) }]));
    expect(await syncFeed(db, { kind: 'osv-zip', name: 'osv', path: zip }, () => 3, signal)).toMatchObject({ withdrawn: 1 });
    expect(matches(db)).toEqual([]);
    expect(db.prepare(`SELECT withdrawn IS NOT NULL AS w FROM deps_advisories WHERE id = 'RUSTSEC-2020-0071'`).get()).toEqual({ w: 1 });
  });

  it('OSV query API: asks about the inventory in batches, follows page tokens, fetches only records it does not hold at that modified', async () => {
    const db = ledger();
    addArtifact(db, 'web', [component('npm', 'lodash', '4.17.20'), component('npm', 'minimist', '1.2.0'), component('PyPI', 'Django', '4.2.0')]);
    const records = new Map<string, AdvisorySpec>([
      ['GHSA-lodash', { id: 'GHSA-lodash', ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      ['GHSA-minimist', { id: 'GHSA-minimist', ecosystem: 'npm', name: 'minimist', events: [{ introduced: '0' }, { fixed: '1.2.6' }] }],
      ['PYSEC-django', { id: 'PYSEC-django', ecosystem: 'PyPI', name: 'django', events: [{ introduced: '4.2' }, { fixed: '4.2.2' }] }],
    ]);
    const requests: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`);
        if (req.method === 'POST' && req.url === '/v1/querybatch') {
          const { queries } = JSON.parse(body) as { queries: { package: { ecosystem: string; name: string }; page_token?: string }[] };
          const results = queries.map((q) => {
            const vulns = [...records.values()].filter((r) => r.ecosystem === q.package.ecosystem && r.name === q.package.name).map((r) => ({ id: r.id, modified: r.modified ?? '2026-01-01T00:00:00Z' }));
            // minimist answers on two pages, the second one asked with the token.
            if (q.package.name === 'minimist' && !q.page_token) return { vulns: [], next_page_token: 'page-2' };
            return { vulns };
          });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ results }));
          return;
        }
        const id = decodeURIComponent((req.url ?? '').replace('/v1/vulns/', ''));
        const record = records.get(id);
        res.statusCode = record ? 200 : 404;
        res.end(record ? JSON.stringify(osv(record)) : '{}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const feed = { kind: 'osv-api' as const, name: 'osv-api', url, batchSize: 2, timeoutMs: 5_000 };

    const first = await syncFeed(db, feed, () => 1, new AbortController().signal);
    expect(first).toMatchObject({ added: 3, badRecords: [] });
    expect(matches(db)).toEqual(['django@4.2.0 PYSEC-django', 'lodash@4.17.20 GHSA-lodash', 'minimist@1.2.0 GHSA-minimist']);
    // Two batches of at most 2 queries, one follow-up page for minimist, then one GET per record.
    expect(requests.filter((r) => r.startsWith('POST')).length).toBe(3);
    expect(requests.filter((r) => r.startsWith('GET')).sort()).toEqual(['GET /v1/vulns/GHSA-lodash', 'GET /v1/vulns/GHSA-minimist', 'GET /v1/vulns/PYSEC-django']);

    // Next sync: only the record whose modified changed is fetched again; its withdrawal clears its match.
    requests.length = 0;
    records.set('GHSA-lodash', { ...records.get('GHSA-lodash')!, modified: '2026-03-01T00:00:00Z', withdrawn: '2026-03-01T00:00:00Z' });
    const second = await syncFeed(db, feed, () => 2, new AbortController().signal);
    expect(second).toMatchObject({ updated: 1, withdrawn: 1 });
    expect(requests.filter((r) => r.startsWith('GET'))).toEqual(['GET /v1/vulns/GHSA-lodash']);
    expect(matches(db)).toEqual(['django@4.2.0 PYSEC-django', 'minimist@1.2.0 GHSA-minimist']);

    // An API that cannot be reached is a failed feed that changes nothing.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(syncFeed(db, { ...feed, url: 'http://127.0.0.1:9' }, () => 3, new AbortController().signal)).rejects.toThrow(/^POST http:\/\/127\.0\.0\.1:9\/v1\/querybatch: /);
    expect(matches(db)).toEqual(['django@4.2.0 PYSEC-django', 'minimist@1.2.0 GHSA-minimist']);
  });
});
