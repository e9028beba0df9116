import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordRun } from '../../src/store/record-run.js';
import { portFinding, runResult } from '../builders/run-result.js';
import { useTempDir } from '../builders/temp-dir.js';
import { TOKEN, startHarness, type ApiHarness } from './api-harness.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** A real HTTP request to the server under test (loopback only). */
function call(base: string, method: string, path: string, options: { token?: string | null; body?: string | Buffer; chunked?: boolean; headers?: Record<string, string>; ca?: string } = {}): Promise<Reply> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined && !options.chunked) headers['content-length'] = String(Buffer.byteLength(options.body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const postJson = (base: string, body: unknown, token?: string | null) =>
  call(base, 'POST', '/v1/runs', { token, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('HTTP API', () => {
  const tempDir = useTempDir();
  const open: ApiHarness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  async function start(...args: Parameters<typeof startHarness> extends [string, ...infer R] ? R : never) {
    const h = await startHarness(tempDir(), ...args);
    open.push(h);
    return h;
  }

  it('binds 127.0.0.1 by default and answers /healthz without a token', async () => {
    const h = await start();
    expect(new URL(h.api.url).hostname).toBe('127.0.0.1');
    const reply = await call(h.api.url, 'GET', '/healthz', { token: null });
    expect([reply.status, reply.json]).toEqual([200, { status: 'ok' }]);
  });

  it('refuses a missing or wrong bearer token with 401 and accepts the configured one', async () => {
    const h = await start();
    const missing = await call(h.api.url, 'GET', '/v1/findings', { token: null });
    const wrong = await call(h.api.url, 'GET', '/v1/findings', { token: `${TOKEN.slice(0, -1)}y` });
    const right = await call(h.api.url, 'GET', '/v1/findings');
    expect([missing.status, missing.json.error, missing.headers['www-authenticate']]).toEqual([401, 'missing bearer token (Authorization: Bearer <token>)', 'Bearer']);
    expect([wrong.status, wrong.json.error]).toEqual([401, 'invalid token']);
    expect([right.status, right.json]).toEqual([200, { items: [] }]);
  });

  it('pages through findings with a cursor: every active finding once, filters applied', async () => {
    const h = await start();
    const findings = [1, 2, 3, 4, 5].map((n) => portFinding('10.0.0.1', 8000 + n, { severity: n === 5 ? 'high' : 'low' }));
    recordRun(h.db, runResult({ findings, coverage: { ok: ['host:10.0.0.1'], failed: [] } }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await call(h.api.url, 'GET', `/v1/findings?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.items.map((f: { resourceId: string }) => f.resourceId));
      cursor = reply.json.nextCursor;
      pages += 1;
    } while (cursor);
    expect([pages, seen.sort()]).toEqual([3, findings.map((f) => f.resourceId).sort()]);
    const high = await call(h.api.url, 'GET', '/v1/findings?severity=high&check=ports.*');
    expect(high.json.items.map((f: { resourceId: string; severity: string }) => [f.resourceId, f.severity])).toEqual([['10.0.0.1:8005', 'high']]);
    const bad = await call(h.api.url, 'GET', '/v1/findings?status=closed');
    expect([bad.status, bad.json.error]).toEqual([400, "status: unknown status 'closed' (use new, open, resolved, reopened or all)"]);
    const forged = await call(h.api.url, 'GET', '/v1/findings?cursor=not-ours');
    expect([forged.status, forged.json.error]).toEqual([400, 'cursor: not a cursor this API handed out']);
  });

  it('POST /v1/runs queues a configured check on a target; the run is recorded and listed by GET /v1/runs', async () => {
    const h = await start();
    const reply = await postJson(h.api.url, { check: 'ports.unexpected-open', target: 'edge', reason: 'release 1.2.3' });
    expect(reply.status).toBe(202);
    expect(reply.json.runs).toEqual([{ runId: expect.stringMatching(/^api-/), check: 'ports.unexpected-open', target: 'edge' }]);
    await h.waitForRecorded(1);
    const runs = await call(h.api.url, 'GET', '/v1/runs');
    expect(runs.json.items.map((r: { id: string; trigger: string; targetId: string; outcome: string }) => [r.id, r.trigger, r.targetId, r.outcome])).toEqual([
      [reply.json.runs[0].runId, 'api', 'edge', 'ok'],
    ]);
    const all = await postJson(h.api.url, { check: 'ports.unexpected-open' });
    expect(all.json.runs.map((r: { target: string }) => r.target)).toEqual(['lab', 'edge']);
  });

  it('rejects bad run requests with 400/413/415 and a clear message, queueing nothing', async () => {
    const h = await start({ bodyLimit: 1024 });
    const unknownCheck = await postJson(h.api.url, { check: 'ports.nope' });
    const unknownTarget = await postJson(h.api.url, { check: 'ports.unexpected-open', target: 'prod' });
    const noCheck = await postJson(h.api.url, { target: 'lab' });
    const extra = await postJson(h.api.url, { check: 'ports.unexpected-open', options: { ports: '1-65535' } });
    const notJson = await call(h.api.url, 'POST', '/v1/runs', { body: '{check:', headers: { 'content-type': 'application/json' } });
    const form = await call(h.api.url, 'POST', '/v1/runs', { body: 'check=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const bigBody = JSON.stringify({ check: 'ports.unexpected-open', reason: 'x'.repeat(2_000) });
    const big = await call(h.api.url, 'POST', '/v1/runs', { body: bigBody, headers: { 'content-type': 'application/json' } });
    // Without a Content-Length (chunked), the limit is enforced while reading.
    const bigChunked = await call(h.api.url, 'POST', '/v1/runs', { body: bigBody, chunked: true, headers: { 'content-type': 'application/json' } });
    expect([unknownCheck.status, unknownCheck.json.error]).toEqual([400, "unknown check 'ports.nope' (see `audit checks`)"]);
    expect([unknownTarget.status, unknownTarget.json.error]).toEqual([400, "unknown target 'prod' for check 'ports.unexpected-open' (configured: lab, edge)"]);
    expect([noCheck.status, noCheck.json.error]).toEqual([400, 'check: Invalid input: expected string, received undefined']);
    expect([extra.status, extra.json.error]).toEqual([400, 'Unrecognized key: "options"']);
    expect([notJson.status, notJson.json.error]).toEqual([400, 'request body is not valid JSON']);
    expect([form.status, form.json.error]).toEqual([415, 'send the body as application/json']);
    expect([big.status, big.json.error]).toEqual([413, `request body is ${Buffer.byteLength(bigBody)} bytes; the limit is 1024`]);
    expect([bigChunked.status, bigChunked.json.error]).toEqual([413, 'request body is over the limit of 1024 bytes']);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.recorded).toEqual([]);
  });

  it('rate-limits a burst per client with 429 and Retry-After instead of queueing it', async () => {
    const h = await start({ rateLimit: { requests: 5, window: '60s' } });
    const replies = await Promise.all(Array.from({ length: 8 }, () => call(h.api.url, 'GET', '/v1/runs')));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = replies.find((r) => r.status === 429)!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(limited.json.error).toBe('too many requests; slow down');
  });

  it('pages through runs newest first', async () => {
    const h = await start();
    for (let i = 0; i < 5; i += 1) recordRun(h.db, runResult({ runId: `r${i}`, startedAt: 1_000 + i, finishedAt: 2_000 + i }));
    const first = await call(h.api.url, 'GET', '/v1/runs?limit=3');
    const second = await call(h.api.url, 'GET', `/v1/runs?limit=3&cursor=${first.json.nextCursor}`);
    expect(first.json.items.map((r: { id: string }) => r.id)).toEqual(['r4', 'r3', 'r2']);
    expect([second.json.items.map((r: { id: string }) => r.id), second.json.nextCursor]).toEqual([['r1', 'r0'], undefined]);
    const bad = await call(h.api.url, 'GET', '/v1/runs?outcome=great');
    expect(bad.status).toBe(400);
  });

  it('serves Prometheus metrics (token required): run counts, open findings by severity and area, outbox', async () => {
    const h = await start();
    recordRun(h.db, runResult({ findings: [portFinding('10.0.0.1', 22, { severity: 'high' }), portFinding('10.0.0.1', 23, { severity: 'high' })] }));
    await postJson(h.api.url, { check: 'ports.unexpected-open', target: 'lab' });
    await h.waitForRecorded(1);
    expect((await call(h.api.url, 'GET', '/metrics', { token: null })).status).toBe(401);
    const reply = await call(h.api.url, 'GET', '/metrics');
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.text).toContain('vigil_open_findings{severity="high",area="ports"} 2');
    expect(reply.text).toContain('vigil_open_findings{severity="high",area="all"} 2');
    expect(reply.text).toContain('vigil_runs_total{check="ports.unexpected-open",outcome="ok",trigger="api"} 1');
    expect(reply.text).toMatch(/vigil_outbox_rows\{status="pending"\} [1-9]/);
  });

  it('/readyz reports the ledger and the queue, and answers 503 when the queue is unreachable', async () => {
    const up = await start();
    const ok = await call(up.api.url, 'GET', '/readyz', { token: null });
    expect([ok.status, ok.json]).toEqual([200, { status: 'ready', checks: { database: 'ok', queue: 'ok' } }]);
    const down = await start({}, { queueReady: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) });
    const bad = await call(down.api.url, 'GET', '/readyz', { token: null });
    expect([bad.status, bad.json]).toEqual([503, { status: 'not ready', checks: { database: 'ok', queue: 'connect ECONNREFUSED 127.0.0.1:1' } }]);
  });

  it('serves HTTPS when given a certificate and key', async () => {
    const dir = tempDir();
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const h = await start({ tls: { cert, key } });
    expect(h.api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { readFileSync } = await import('node:fs');
    const reply = await call(h.api.url, 'GET', '/v1/runs', { ca: readFileSync(cert, 'utf8') });
    expect([reply.status, reply.json]).toEqual([200, { items: [] }]);
  });
});
