#!/usr/bin/env node
// Distributed runs on BullMQ (issue 10), measured with real worker processes on the machine's Redis (127.0.0.1:6379):
//   1. schedule-to-start latency (slot -> the worker starting the run) over 300 ticks of a 100 ms schedule, p50/p99;
//      baseline: BullMQ's own job scheduler (upsertJobScheduler every 100 ms) measured the same way, which is what the
//      issue suggested using and what research/platform.md §1.4 measured (p50 61 ms, p99 112 ms on 1 s ticks);
//   2. trivial-run throughput end to end (enqueue -> worker -> result recorded by the daemon side) with 1 and 3
//      worker processes (concurrency 4 each);
//   3. a worker SIGKILLed mid-run while a 200 ms schedule ticks: duplicate and unrecorded ticks in a real SQLite
//      ledger, next to how many runs BullMQ executed twice underneath.
// Targets (issue 10): p99 start delay <= 150 ms, 0 duplicates, 0 unrecorded ticks. Exits 1 when one is missed.
// Needs `npm run build` first. Loopback only; keys live under vigil-bench:<pid>: and are deleted afterwards.
//
//   node bench/queue.js [--ticks 300] [--runs 3000] [--redis redis://127.0.0.1:6379/0]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createBullmqBackend } from '../dist/jobs/bullmq/backend.js';
import { startRunWorker } from '../dist/jobs/bullmq/worker.js';
import { redisConnection } from '../dist/jobs/bullmq/wire.js';
import { createLogger } from '../dist/src/log.js';
import { openStore } from '../dist/src/store/db.js';
import { lastSlot, listRuns } from '../dist/src/store/queries/runs.js';
import { recordRun } from '../dist/src/store/record-run.js';

const self = fileURLToPath(import.meta.url);
const log = createLogger('silent');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (process.argv[2] === '--worker') await workerMain(process.argv[3], process.argv[4], process.argv[5]);
else await main();

async function main() {
  const { values } = parseArgs({ options: { ticks: { type: 'string', default: '300' }, runs: { type: 'string', default: '3000' }, redis: { type: 'string', default: 'redis://127.0.0.1:6379/0' } } });
  const ticks = Number(values.ticks);
  const runs = Number(values.runs);
  const url = values.redis;
  const root = `vigil-bench:${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-queue-'));
  const misses = [];
  try {
    console.log(`bench/queue: Redis ${url}, node ${process.version}, ${ticks} ticks, ${runs} runs per throughput phase`);

    const ours = await latencyPhase(url, `${root}:lat`, dir, ticks);
    const theirs = await baselineSchedulerLatency(url, `${root}:base`, ticks);
    console.log(`\n1. schedule-to-start latency, ${ticks} ticks every 100 ms, 1 worker process`);
    console.log(`   Vigil (daemon slots -> queue):   p50 ${ours.p50} ms  p99 ${ours.p99} ms  max ${ours.max} ms  (${ours.n} starts)`);
    console.log(`   BullMQ upsertJobScheduler:        p50 ${theirs.p50} ms  p99 ${theirs.p99} ms  max ${theirs.max} ms  (${theirs.n} starts)`);
    console.log(`   ratio p99 baseline/Vigil: ${(theirs.p99 / Math.max(1, ours.p99)).toFixed(2)}x`);
    if (ours.p99 > 150) misses.push(`p99 start delay ${ours.p99} ms > 150 ms`);
    if (ours.n < ticks) misses.push(`only ${ours.n} of ${ticks} ticks started`);

    console.log(`\n2. trivial-run throughput, ${runs} runs enqueued at once, results recorded by the daemon side`);
    for (const workers of [1, 3]) {
      const t = await throughputPhase(url, `${root}:tp${workers}`, runs, workers);
      console.log(`   ${workers} worker process${workers > 1 ? 'es' : ''} x concurrency 4: ${t.perSecond.toFixed(0)} runs/s (${t.ms} ms for ${t.n})`);
      if (t.n !== runs) misses.push(`throughput with ${workers}: ${t.n} of ${runs} results`);
    }

    const k = await killPhase(url, `${root}:kill`, dir);
    console.log(`\n3. SIGKILL of the worker holding a run, 200 ms schedule, 3 worker processes, lockDuration 1 s`);
    console.log(`   ticks ${k.ticks} (ok ${k.ok}, skipped ${k.skipped}), duplicates ${k.duplicates}, unrecorded ${k.unrecorded}`);
    console.log(`   killed run ${k.killedRun}: executed ${k.killedExecutions}x by BullMQ (at-least-once), recorded ${k.killedRecorded}x as '${k.killedOutcome}'`);
    console.log(`   runs executed more than once underneath: ${k.reExecuted}`);
    if (k.duplicates !== 0) misses.push(`${k.duplicates} duplicate ticks`);
    if (k.unrecorded !== 0) misses.push(`${k.unrecorded} unrecorded ticks`);
    if (k.killedRecorded !== 1) misses.push(`killed tick recorded ${k.killedRecorded} times`);
  } finally {
    await deleteKeys(url, root);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(misses.length ? `\nMISSED: ${misses.join('; ')}` : '\nall targets met (p99 <= 150 ms, 0 duplicates, 0 unrecorded)');
  process.exit(misses.length ? 1 : 0);
}

/** Daemon side in this process on the real clock, one worker process; lag = worker start - slot. */
async function latencyPhase(url, prefix, dir, ticks) {
  const db = openStore(join(dir, 'latency.db'));
  const backend = createBullmqBackend({ redisUrl: url, prefix, lastSlot: (id) => lastSlot(db, id), log });
  const lags = [];
  let done;
  const finished = new Promise((r) => (done = r));
  backend.onResult((result) => {
    recordRun(db, result);
    if (result.outcome === 'ok' && result.trigger === 'schedule') lags.push(result.startedAt - result.slot);
    if (lags.length >= ticks) done();
  });
  await backend.ready();
  const worker = await spawnWorker(url, prefix, 'trivial');
  await backend.schedule([{ id: 'lat', checkId: 'bench.trivial', targetId: 'bench', options: {}, timeoutMs: 10_000, every: 100, overlap: 'queue-one', catchup: 'skip' }]);
  await Promise.race([finished, sleep(ticks * 100 + 20_000)]);
  await backend.close({ graceMs: 2_000 });
  await stopWorker(worker);
  db.close();
  return stats(lags);
}

/** BullMQ's job scheduler: slot from the job id (repeat:<id>:<millis>), start taken in the worker process. */
async function baselineSchedulerLatency(url, prefix, ticks) {
  const connection = redisConnection(url);
  const queue = new Queue('sched', { connection, prefix });
  const worker = await spawnWorker(url, prefix, 'scheduler');
  const probe = new Redis(url);
  await queue.upsertJobScheduler('lat', { every: 100 }, { name: 'tick', opts: { removeOnComplete: true } });
  const deadline = Date.now() + ticks * 100 + 20_000;
  while ((await probe.llen(`${prefix}:probe:lags`)) < ticks && Date.now() < deadline) await sleep(200);
  await queue.removeJobScheduler('lat');
  const lags = (await probe.lrange(`${prefix}:probe:lags`, 0, ticks - 1)).map(Number);
  await stopWorker(worker);
  await queue.close();
  probe.disconnect();
  return stats(lags);
}

async function throughputPhase(url, prefix, runs, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tp-'));
  const db = openStore(join(dir, 'tp.db'));
  const backend = createBullmqBackend({ redisUrl: url, prefix, lastSlot: () => undefined, log });
  let n = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  backend.onResult((result) => {
    recordRun(db, result);
    n += 1;
    if (n >= runs) done();
  });
  await backend.ready();
  const procs = await Promise.all(Array.from({ length: workers }, () => spawnWorker(url, prefix, 'trivial', 4)));
  const started = Date.now();
  for (let i = 0; i < runs; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, runs - i) }, (_, j) =>
        backend.enqueue({ runId: `tp-${i + j}`, checkId: 'bench.trivial', targetId: 'bench', trigger: 'api', options: {}, timeoutMs: 10_000 }),
      ),
    );
  }
  await Promise.race([finished, sleep(120_000)]);
  const ms = Date.now() - started;
  await backend.close({ graceMs: 2_000 });
  await Promise.all(procs.map(stopWorker));
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { n, ms, perSecond: (n * 1000) / ms };
}

async function killPhase(url, prefix, dir) {
  const db = openStore(join(dir, 'kill.db'));
  const backend = createBullmqBackend({ redisUrl: url, prefix, lastSlot: (id) => lastSlot(db, id), log });
  let duplicates = 0;
  const delivered = new Map();
  backend.onResult((result) => {
    delivered.set(result.runId, (delivered.get(result.runId) ?? 0) + 1);
    if (!recordRun(db, result).recorded) duplicates += 1;
  });
  await backend.ready();
  const probe = new Redis(url);
  const workers = await Promise.all([1, 2, 3].map(() => spawnWorker(url, prefix, 'sleep:150', 1, 1_000)));
  await backend.schedule([{ id: 'kill', checkId: 'bench.sleep', targetId: 'bench', options: {}, timeoutMs: 10_000, every: 200, overlap: 'skip', catchup: 'once' }]);
  await sleep(3_000);
  const before = await probe.llen(`${prefix}:probe:starts`);
  let victim;
  while (!victim) {
    const starts = await probe.lrange(`${prefix}:probe:starts`, before, before);
    if (starts.length) victim = JSON.parse(starts[0]);
    else await sleep(5);
  }
  workers.find((w) => w.pid === victim.pid).child.kill('SIGKILL');
  workers.push(await spawnWorker(url, prefix, 'sleep:150', 1, 1_000));
  await sleep(8_000);
  await backend.close({ graceMs: 3_000 });
  await Promise.all(workers.map(stopWorker));
  const rows = listRuns(db, { scheduleId: 'kill', limit: 100_000 });
  const slots = rows.map((r) => r.slot).sort((a, b) => a - b);
  const expected = (slots.at(-1) - slots[0]) / 200 + 1;
  const executions = (await probe.lrange(`${prefix}:probe:starts`, 0, -1)).map((s) => JSON.parse(s));
  const perRun = new Map();
  for (const e of executions) perRun.set(e.runId, (perRun.get(e.runId) ?? 0) + 1);
  probe.disconnect();
  const killedRows = rows.filter((r) => r.id === victim.runId);
  db.close();
  return {
    ticks: expected,
    ok: rows.filter((r) => r.outcome === 'ok').length,
    skipped: rows.filter((r) => r.outcome === 'skipped').length,
    duplicates: duplicates + [...delivered.values()].filter((c) => c > 1).length + (rows.length - new Set(slots).size),
    unrecorded: expected - new Set(slots).size,
    killedRun: victim.runId,
    killedExecutions: perRun.get(victim.runId) ?? 0,
    killedRecorded: killedRows.length,
    killedOutcome: killedRows[0]?.outcome,
    reExecuted: [...perRun.values()].filter((c) => c > 1).length,
  };
}

function spawnWorker(url, prefix, mode, concurrency = 1, lockMs = 30_000) {
  const child = fork(self, ['--worker', url, prefix, mode], { env: { ...process.env, BENCH_CONCURRENCY: String(concurrency), BENCH_LOCK_MS: String(lockMs) }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve({ child, pid: child.pid }));
    child.once('exit', (code) => reject(new Error(`bench worker exited (${code}) before it was ready`)));
  });
}

async function stopWorker(worker) {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => worker.child.kill('SIGKILL'))]);
}

async function workerMain(url, prefix, mode) {
  const probe = new Redis(url);
  if (mode === 'scheduler') {
    const worker = new Worker(
      'sched',
      async (job) => {
        const slot = Number(String(job.id).split(':').at(-1));
        await probe.rpush(`${prefix}:probe:lags`, String(Date.now() - slot));
      },
      { connection: redisConnection(url), prefix },
    );
    await worker.waitUntilReady();
    process.send('ready');
    process.once('SIGTERM', () => worker.close().then(() => process.exit(0)));
    return;
  }
  const sleepMs = mode.startsWith('sleep:') ? Number(mode.slice(6)) : 0;
  const lockMs = Number(process.env.BENCH_LOCK_MS);
  const worker = startRunWorker({
    redisUrl: url,
    prefix,
    concurrency: Number(process.env.BENCH_CONCURRENCY),
    lockDurationMs: lockMs,
    stalledIntervalMs: Math.max(250, Math.floor(lockMs / 2)),
    maxStalledCount: 3,
    log,
    execute: async (request, _cursors, signal) => {
      const startedAt = Date.now();
      if (sleepMs > 0) {
        await probe.rpush(`${prefix}:probe:starts`, JSON.stringify({ runId: request.runId, pid: process.pid }));
        await new Promise((r) => {
          const t = setTimeout(r, sleepMs);
          signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
        });
      }
      return {
        runId: request.runId, checkId: request.checkId, targetId: request.targetId, trigger: request.trigger,
        ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId, slot: request.slot } : {}),
        outcome: signal.aborted ? 'aborted' : 'ok', startedAt, finishedAt: Date.now(),
        coverage: { ok: [request.targetId], failed: [] }, findings: [], cursorWrites: {},
      };
    },
  });
  await worker.ready();
  process.send('ready');
  process.once('SIGTERM', () => worker.close(3_000).then(() => (probe.disconnect(), process.exit(0))));
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

async function deleteKeys(url, root) {
  const redis = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${root}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
