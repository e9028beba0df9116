import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { listFindings } from '../../src/store/queries/findings.js';
import { listRuns } from '../../src/store/queries/runs.js';
import { useTempDir } from '../builders/temp-dir.js';
import { REDIS_URL, deleteKeys, testPrefix } from './bullmq-harness.js';

/**
 * The shipped binaries end to end (run `npx tsc -p tsconfig.json` first; npm test does): `audit daemon` with
 * `queue: redis://...` and the API on, two `audit worker` processes, a real port check against a listener on
 * 127.0.0.1. Only the daemon opens the ledger; the finding still lands in it.
 */
const BIN = resolve('bin/audit.js');
const TOKEN = ['cli', 'test', 'token', 'y'.repeat(16)].join('-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function listen(server: Server): Promise<number> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)));
}

function get(url: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => done({ status: res.statusCode!, text }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('audit daemon + audit worker over Redis', () => {
  const tempDir = useTempDir();
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    return { child, exit: new Promise((done) => child.once('exit', (code) => done(code))), stderr: () => stderr };
  }

  it('schedules on the daemon, runs on workers, records findings, serves readyz and metrics, drains on SIGTERM', async () => {
    const dir = tempDir();
    const prefix = testPrefix('cli');
    cleanups.push(async () => void (await deleteKeys(prefix)));
    const exposed = createServer((socket) => socket.destroy());
    const exposedPort = await listen(exposed);
    cleanups.push(() => new Promise((done) => exposed.close(() => done())));
    const probe = createServer();
    const apiPort = await listen(probe);
    await new Promise<void>((done) => probe.close(() => done()));
    const config = join(dir, 'vigil.yaml');
    writeFileSync(
      config,
      [
        `store: { path: ${JSON.stringify(join(dir, 'ledger.db'))} }`,
        `queue: { url: "${REDIS_URL}", prefix: "${prefix}", lockDuration: 5s }`,
        `api: { enabled: true, port: ${apiPort}, tokens: [{ name: test, token: "\${VIGIL_TEST_TOKEN}" }] }`,
        'jobs:',
        '  - name: lab-ports',
        '    check: ports.unexpected-open',
        '    schedule: { every: 2s }',
        '    timeout: 20s',
        `    options: { groups: [{ name: lab, hosts: [127.0.0.1] }], ports: [${exposedPort}], identifyServices: false }`,
      ].join('\n'),
    );
    const env = { VIGIL_TEST_TOKEN: TOKEN, VIGIL_CONFIG: config };
    const workers = [start(['worker', '--log-level', 'warn'], env), start(['worker', '--log-level', 'warn', '--concurrency', '2'], env)];
    const daemon = start(['daemon', '--log-level', 'warn'], env);

    const db = openStore(join(dir, 'ledger.db'));
    cleanups.push(async () => db.close());
    let ok = 0;
    for (let i = 0; i < 450 && ok < 2; i += 1) {
      await sleep(100);
      try {
        ok = listRuns(db, { scheduleId: 'lab-ports', outcome: 'ok' }).length;
      } catch {
        ok = 0; // the daemon may still be creating the ledger
      }
    }
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(listFindings(db, {}).map((f) => [f.checkId, f.resourceId, f.status])).toEqual([['ports.unexpected-open', `127.0.0.1:${exposedPort}`, 'open']]);

    const ready = await get(`http://127.0.0.1:${apiPort}/readyz`);
    expect([ready.status, JSON.parse(ready.text)]).toEqual([200, { status: 'ready', checks: { database: 'ok', queue: 'ok' } }]);
    const metrics = await get(`http://127.0.0.1:${apiPort}/metrics`, TOKEN);
    expect(metrics.text).toMatch(/vigil_runs_total\{check="ports\.unexpected-open",outcome="ok",trigger="(schedule|catchup)"\} [1-9]/);
    expect(metrics.text).toMatch(/vigil_schedule_lag_seconds_count\{check="ports\.unexpected-open"\} [1-9]/);
    expect(metrics.text).toContain('vigil_queue_jobs{state="waiting"}');

    for (const p of [daemon, ...workers]) p.child.kill('SIGTERM');
    expect(await Promise.all([daemon.exit, ...workers.map((w) => w.exit)])).toEqual([0, 0, 0]);
    expect(daemon.stderr()).not.toMatch(/"level":(50|60)/);
    const runs = listRuns(db, { scheduleId: 'lab-ports', limit: 1000 });
    expect(new Set(runs.map((r) => r.slot)).size).toBe(runs.length);
  }, 90_000);

  it('refuses to start a worker without a Redis queue, with a one-line error and exit 2', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const config = join(dir, 'vigil.yaml');
    writeFileSync(config, 'jobs: []\n');
    const worker = start(['worker', '--config', config], {});
    expect(await worker.exit).toBe(2);
    expect(worker.stderr().trim()).toBe(
      "audit: error: audit worker needs a Redis queue: set queue: redis://host:6379 in the config (the default 'in-process' runs checks inside the daemon)",
    );
  });
});
