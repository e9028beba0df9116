// A real `audit worker`-style process for the crash and outage tests: the BullMQ worker engine from dist/, with a run
// that sleeps `options.sleepMs` and records each start in Redis (so a test can count executions, not just results).
// Plain JS because tests are not compiled; run `npx tsc -p tsconfig.json` first (npm test does).
import { Redis } from 'ioredis';
import { startRunWorker } from '../../dist/jobs/bullmq/worker.js';
import { createLogger } from '../../dist/src/log.js';

const url = process.env.VIGIL_TEST_REDIS_URL;
const prefix = process.env.VIGIL_TEST_PREFIX;
const lockDurationMs = Number(process.env.VIGIL_TEST_LOCK_MS ?? 30000);
const probe = new Redis(url);
const log = createLogger(process.env.VIGIL_TEST_LOG_LEVEL ?? 'silent');

const worker = startRunWorker({
  redisUrl: url,
  prefix,
  concurrency: Number(process.env.VIGIL_TEST_CONCURRENCY ?? 1),
  lockDurationMs,
  stalledIntervalMs: Math.max(250, Math.floor(lockDurationMs / 2)),
  maxStalledCount: 3,
  log,
  name: `test-worker-${process.pid}`,
  execute: async (request, _cursors, signal) => {
    const startedAt = Date.now();
    await probe.rpush(`${prefix}:probe:starts`, JSON.stringify({ runId: request.runId, pid: process.pid, at: startedAt }));
    const sleepMs = Number(request.options?.sleepMs ?? 0);
    const aborted = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), sleepMs);
      signal.addEventListener('abort', () => { clearTimeout(timer); resolve(true); }, { once: true });
    });
    return {
      runId: request.runId, checkId: request.checkId, targetId: request.targetId, trigger: request.trigger,
      ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId } : {}),
      ...(request.slot !== undefined ? { slot: request.slot } : {}),
      outcome: aborted ? 'aborted' : 'ok', ...(aborted ? { error: 'aborted' } : {}),
      startedAt, finishedAt: Date.now(), coverage: { ok: [request.targetId], failed: [] }, findings: [], cursorWrites: {},
    };
  },
});
await worker.ready();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  worker.close(Number(process.env.VIGIL_TEST_GRACE_MS ?? 5000)).then(() => { probe.disconnect(); process.exit(0); });
});
