import { afterEach } from 'vitest';
import { createBullmqBackend } from '../../jobs/bullmq/backend.js';
import { startRunWorker } from '../../jobs/bullmq/worker.js';
import { runBackendConformance } from './backend.conformance.js';
import { REDIS_URL, deleteKeys, quiet, testPrefix } from './bullmq-harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The same suite as the in-process backend, against real Redis: the daemon side schedules on the fake clock, one
// in-process worker executes on it, and runs and results cross Redis for real.
runBackendConformance('bullmq', async (deps) => {
  const prefix = testPrefix('conf');
  const backend = createBullmqBackend({ redisUrl: REDIS_URL, prefix, clock: deps.clock, lastSlot: deps.lastSlot, log: deps.log, random: () => 0 });
  const worker = startRunWorker({ redisUrl: REDIS_URL, prefix, concurrency: 4, log: deps.log, execute: (request, _cursors, signal) => deps.execute(request, signal) });
  await Promise.all([backend.ready(), worker.ready()]);
  deps.clock.addSettler(() => quiet(backend, [worker]));
  cleanups.push(async () => {
    let closed = false;
    const closing = backend.close({ graceMs: 0 }).then(() => (closed = true));
    for (let i = 0; i < 100 && !closed; i += 1) await deps.clock.advance(1_000);
    await closing;
    await worker.close(0);
    await deleteKeys(prefix);
  });
  return backend;
});
