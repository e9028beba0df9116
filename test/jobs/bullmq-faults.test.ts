import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqBackend, type BullmqBackend } from '../../jobs/bullmq/backend.js';
import type { ScheduleSpec } from '../../jobs/schedule.js';
import { silentLogger } from '../../src/log.js';
import type { RunResult } from '../../src/runs/run-result.js';
import { openStore, type Db } from '../../src/store/db.js';
import { lastSlot, listRuns } from '../../src/store/queries/runs.js';
import { recordRun } from '../../src/store/record-run.js';
import { useTempDir } from '../builders/temp-dir.js';
import { REDIS_URL, deleteKeys, testPrefix } from './bullmq-harness.js';

/**
 * Exactly once per tick with real worker processes: the daemon side runs here on the real clock and records into a
 * real SQLite ledger; workers are separate Node processes (test/jobs/bullmq-worker-process.mjs on the built engine)
 * that we SIGKILL or stop. The ledger must hold one row per tick, and the missed ticks as skipped rows.
 */
const WORKER = join(import.meta.dirname, 'bullmq-worker-process.mjs');
const TICK_MS = 1_000;

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<void>;
}

function spawnWorker(prefix: string, lockMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, VIGIL_TEST_REDIS_URL: REDIS_URL, VIGIL_TEST_PREFIX: prefix, VIGIL_TEST_LOCK_MS: String(lockMs), VIGIL_TEST_GRACE_MS: '3000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve({ child, pid: child.pid!, exited });
    });
    exited.then(() => reject(new Error('worker process exited before it was ready')));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BullMQ backend with real worker processes', () => {
  const tempDir = useTempDir();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(lockMs: number) {
    const prefix = testPrefix('faults');
    const db: Db = openStore(join(tempDir(), 'ledger.db'));
    const probe = new Redis(REDIS_URL);
    const backend: BullmqBackend = createBullmqBackend({ redisUrl: REDIS_URL, prefix, lastSlot: (id) => lastSlot(db, id), log: silentLogger });
    const delivered: RunResult[] = [];
    let duplicates = 0;
    backend.onResult((result) => {
      delivered.push(result);
      if (!recordRun(db, result).recorded) duplicates += 1;
    });
    await backend.ready();
    const workers: WorkerProcess[] = [];
    const startWorkers = async (n: number) => workers.push(...(await Promise.all(Array.from({ length: n }, () => spawnWorker(prefix, lockMs)))));
    cleanups.push(async () => {
      await backend.close({ graceMs: 0 });
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      probe.disconnect();
      db.close();
      await deleteKeys(prefix);
    });
    const starts = async () => (await probe.lrange(`${prefix}:probe:starts`, 0, -1)).map((s) => JSON.parse(s) as { runId: string; pid: number; at: number });
    return { prefix, db, backend, delivered, duplicates: () => duplicates, workers, startWorkers, starts };
  }

  function spec(overrides: Partial<ScheduleSpec>): ScheduleSpec {
    return { id: 'tick', checkId: 'test.sleep', targetId: 'loopback', options: { sleepMs: 100 }, timeoutMs: 60_000, every: TICK_MS, overlap: 'skip', catchup: 'once', ...overrides };
  }

  /** Every slot from the first to the last recorded tick has exactly one row in the ledger. */
  function expectEveryTickOnce(db: Db, scheduleId: string) {
    const rows = listRuns(db, { scheduleId, limit: 10_000 });
    const slots = rows.map((r) => r.slot!).sort((a, b) => a - b);
    const expected = Array.from({ length: (slots.at(-1)! - slots[0]!) / TICK_MS + 1 }, (_, i) => slots[0]! + i * TICK_MS);
    expect(slots).toEqual(expected);
    return rows;
  }

  it('records exactly one outcome for a tick whose worker is killed with SIGKILL mid-run (re-run elsewhere)', async () => {
    const t = await setUp(1_000);
    await t.startWorkers(3);
    await t.backend.schedule([spec({ options: { sleepMs: 700 } })]);
    while ((await t.starts()).length < 3) await sleep(50);
    const before = (await t.starts()).length;
    let victim: { runId: string; pid: number } | undefined;
    while (!victim) {
      const all = await t.starts();
      if (all.length > before) victim = all[before];
      else await sleep(10);
    }
    process.kill(victim.pid, 'SIGKILL');
    await sleep(5_000);
    await t.backend.close({ graceMs: 3_000 });

    const rows = expectEveryTickOnce(t.db, 'tick');
    const killed = rows.filter((r) => r.id === victim.runId);
    const executions = (await t.starts()).filter((s) => s.runId === victim.runId);
    // At-least-once execution underneath (BullMQ re-ran the stalled job on another worker), one outcome recorded.
    expect(killed.map((r) => r.outcome)).toEqual(['ok']);
    // Twice normally; a starved machine can make the re-run lose its lock again, which is still one recorded outcome.
    expect(executions.length).toBeGreaterThanOrEqual(2);
    expect(executions[1]!.pid).not.toBe(victim.pid);
    expect(t.duplicates()).toBe(0);
    expect(new Set(t.delivered.map((r) => r.runId)).size).toBe(t.delivered.length);
    // The ticks that came while the killed run was being recovered are accounted for as skipped.
    expect(rows.filter((r) => r.outcome === 'skipped').length).toBeGreaterThan(0);
  }, 30_000);

  it('records the ticks missed while every worker was stopped as skipped, runs the waiting one on return, and no tick twice', async () => {
    const t = await setUp(2_000);
    await t.startWorkers(2);
    await t.backend.schedule([spec({})]);
    while ((await t.starts()).length < 2) await sleep(50);
    const stopped = t.workers.splice(0);
    for (const w of stopped) w.child.kill('SIGTERM');
    await Promise.all(stopped.map((w) => w.exited));
    const stoppedAt = Date.now();
    await sleep(4_500);
    await t.startWorkers(2);
    const backAt = Date.now();
    await sleep(2_500);
    await t.backend.close({ graceMs: 3_000 });

    const rows = expectEveryTickOnce(t.db, 'tick');
    const during = rows.filter((r) => r.slot! > stoppedAt + 100 && r.slot! < backAt - TICK_MS);
    // The first tick of the outage waited on the queue and ran once a worker was back; every later one is 'missed'.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.slice(1).every((r) => r.outcome === 'skipped' && r.skipReason === 'missed')).toBe(true);
    expect(during[0]).toMatchObject({ outcome: 'ok' });
    // It ran after the outage (new workers were only spawned 4.5 s after the last old one exited), not during it.
    expect(during[0]!.startedAt).toBeGreaterThanOrEqual(stoppedAt + 4_500);
    expect(rows.filter((r) => r.slot! > backAt && r.outcome === 'ok').length).toBeGreaterThanOrEqual(1);
    const executions = await t.starts();
    expect(new Set(executions.map((s) => s.runId)).size).toBe(executions.length);
    expect(t.duplicates()).toBe(0);
  }, 30_000);
});
