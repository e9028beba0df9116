import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOsvRecord } from '../../../checks/deps/osv/schema.js';
import { upsertAdvisories } from '../../../checks/deps/store/advisory-store.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { TOKEN, startHarness, type ApiHarness } from '../../api/api-harness.js';
import { osv, packageLockV3 } from './support/fixtures.js';

/** A real POST to the API under test on loopback. */
function post(base: string, body: unknown, token = TOKEN): Promise<{ status: number; json: any }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(new URL('/v1/artifacts', base), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } }, (res) => {
      let data = '';
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

describe('POST /v1/artifacts (CI hand-off over HTTP)', () => {
  const tempDir = useTempDir('vigil-deps-api-');
  const open: ApiHarness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  it('registers a released lockfile, matches it at once, treats a re-upload as a no-op and refuses bad input with 400', async () => {
    const h = await startHarness(tempDir(), { bodyLimit: 1_048_576 });
    open.push(h);
    upsertAdvisories(h.db, 'osv', [parseOsvRecord(osv({ id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', aliases: ['CVE-2021-23337'], events: [{ introduced: '0' }, { fixed: '4.17.21' }] }))], 1);
    const lock = b64(packageLockV3({ lodash: '^4' }, { 'node_modules/lodash': { version: '4.17.20' } }));
    const body = { name: 'web', version: '1.4.2', files: [{ path: 'package-lock.json', content: lock }] };

    const first = await post(h.api.url, body);
    expect([first.status, first.json]).toEqual([201, expect.objectContaining({ source: 'ci', name: 'web', version: '1.4.2', outcome: 'added', components: 1, vulnerable: 1 })]);
    const again = await post(h.api.url, body);
    expect([again.status, again.json.outcome]).toEqual([200, 'unchanged']);
    expect((h.db.prepare('SELECT count(*) AS n FROM deps_artifact_versions').get() as { n: number }).n).toBe(1);

    const unknown = await post(h.api.url, { name: 'web', version: '1.5.0', files: [{ path: 'notes.txt', content: b64('hello') }] });
    expect([unknown.status, unknown.json.error]).toEqual([400, expect.stringMatching(/^notes\.txt: unrecognised format/)]);
    const malformed = await post(h.api.url, { name: 'web', version: '1.5.0', files: [{ path: 'package-lock.json', content: b64('{"lockfileVersion": 3, "packages": ') }] });
    expect([malformed.status, malformed.json.error]).toEqual([400, expect.stringMatching(/^package-lock\.json: malformed package-lock: /)]);
    const invalid = await post(h.api.url, { files: [{ path: '../x/package-lock.json', content: 'not base64!' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toMatch(/files\.0\.path: no "\.\." in file paths; files\.0\.content: content must be base64/);
    expect((await post(h.api.url, body, 'wrong-token-'.repeat(3))).status).toBe(401);
    expect((h.db.prepare('SELECT count(*) AS n FROM deps_artifact_versions').get() as { n: number }).n).toBe(1);
  });
});
