import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../builders/temp-dir.js';

const tempDir = useTempDir();
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((socket) => socket.on('error', () => {}).end('SSH-2.0-lab\r\n'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((done) => server.close(done)));

function startDaemon(config: string): { child: ChildProcess; exited: Promise<number | null>; logs: () => string } {
  const child = spawn(process.execPath, [resolve('bin/audit.js'), 'daemon', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, exited, logs: () => stderr };
}

type RunRow = { outcome: string; trigger: string; skip_reason: string | null; slot: number };

function runsIn(dbFile: string): RunRow[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT outcome, trigger, skip_reason, slot FROM runs ORDER BY slot').all() as RunRow[];
  } finally {
    db.close();
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined) return value;
    } catch {
      // the ledger may not exist yet
    }
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('audit daemon', () => {
  it('runs scheduled jobs, drains on SIGTERM with exit 0, and records missed ticks after downtime', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'vigil.db');
    const config = join(dir, 'vigil.yaml');
    writeFileSync(
      config,
      [
        `store: { path: ${dbFile} }`,
        'log: { level: info }',
        'daemon: { shutdownGrace: 5s }',
        'jobs:',
        '  - name: lab-ports',
        '    check: ports.unexpected-open',
        '    schedule: { every: 1s }',
        `    options: { groups: [{ name: lab, hosts: [127.0.0.1] }], ports: "${port}", identifyServices: false }`,
      ].join('\n'),
    );
    const first = startDaemon(config);
    const okRuns = await waitFor(() => {
      const ok = runsIn(dbFile).filter((run) => run.outcome === 'ok');
      return ok.length >= 2 ? ok : undefined;
    }, 15_000);
    expect(okRuns[0]!.trigger).toBe('catchup');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.logs()).toContain('"msg":"daemon stopped"');

    const before = runsIn(dbFile);
    const lastSlotBefore = Math.max(...before.map((run) => run.slot));
    await new Promise((done) => setTimeout(done, 3_500));
    const second = startDaemon(config);
    const after = await waitFor(() => {
      const rows = runsIn(dbFile);
      return rows.some((run) => run.trigger === 'catchup' && run.slot > lastSlotBefore) ? rows : undefined;
    }, 15_000);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    const missed = after.filter((run) => run.outcome === 'skipped' && run.skip_reason === 'missed');
    expect(missed.length).toBeGreaterThanOrEqual(2);
    const catchups = after.filter((run) => run.trigger === 'catchup' && run.slot > lastSlotBefore);
    expect(catchups).toHaveLength(1);
    const slots = after.map((run) => run.slot);
    expect(new Set(slots).size).toBe(slots.length);
    // Every slot between the first and the last is accounted for exactly once: run or recorded as skipped.
    const everySlot = runsIn(dbFile).map((run) => run.slot);
    for (let slot = Math.min(...everySlot); slot <= Math.max(...everySlot); slot += 1000) expect(everySlot).toContain(slot);
  }, 45_000);
});
