import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqBackend, type BullmqBackend } from '../../jobs/bullmq/backend.js';
import { startRunWorker, type RunWorker, type WorkerExecute } from '../../jobs/bullmq/worker.js';
import { jobIdFor, runIdFromJobId } from '../../jobs/bullmq/wire.js';
import { checkLimit } from '../../jobs/create-backend.js';
import { silentLogger } from '../../src/log.js';
import type { RunResult } from '../../src/runs/run-result.js';
import { scheduledRunId } from '../../src/runs/run-result.js';
import { REDIS_URL, deleteKeys, testPrefix } from './bullmq-harness.js';
import { cliRequest, fakeResult } from './fake-execute.js';

/** BullMQ-specific behaviour beyond the shared conformance suite, on real Redis and the real clock. */
describe('BullMQ backend specifics', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function daemon(prefix: string, options: { attempts?: number; backoffMs?: number; checkConcurrency?: (checkId: string) => number | undefined } = {}) {
    const backend = createBullmqBackend({ redisUrl: REDIS_URL, prefix, lastSlot: () => undefined, log: silentLogger, ...options });
    const results: RunResult[] = [];
    backend.onResult((r) => void results.push(r));
    cleanups.push(() => backend.close({ graceMs: 0 }));
    return { backend, results };
  }
  function worker(prefix: string, execute: WorkerExecute): RunWorker {
    const w = startRunWorker({ redisUrl: REDIS_URL, prefix, concurrency: 2, log: silentLogger, execute });
    cleanups.push(() => w.close(0));
    return w;
  }
  async function until(condition: () => boolean, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
  const prefixFor = () => {
    const prefix = testPrefix('spec');
    cleanups.push(async () => void (await deleteKeys(prefix)));
    return prefix;
  };

  it('encodes run ids into BullMQ job ids reversibly (no ":"), so one run id is one job', () => {
    const runId = scheduledRunId('ports%hourly', Date.UTC(2030, 0, 1));
    const jobId = jobIdFor(runId);
    expect([jobId, runIdFromJobId(jobId)]).toEqual(['run.ports%25hourly@2030-01-01T00%3A00%3A00.000Z', runId]);
  });

  it('a run id enqueued again after it ran (a restarted daemon) gets the earlier result, not a second run', async () => {
    const prefix = prefixFor();
    let executions = 0;
    worker(prefix, async (request) => {
      executions += 1;
      return fakeResult(request, 'ok', Date.now(), Date.now());
    });
    const first = daemon(prefix);
    await first.backend.enqueue(cliRequest('cli-once'));
    await until(() => first.results.length === 1);
    await first.backend.close({ graceMs: 0 });
    const second = daemon(prefix);
    await second.backend.enqueue(cliRequest('cli-once'));
    await until(() => second.results.length === 1);
    expect(second.results).toEqual(first.results);
    expect([executions, second.backend.outstanding()]).toEqual([1, []]);
  });

  it("retries a 'failed' run on a worker with backoff; only the last attempt reaches the ledger", async () => {
    const prefix = prefixFor();
    const attempts: number[] = [];
    worker(prefix, async (request) => {
      attempts.push(Date.now());
      return fakeResult(request, attempts.length === 1 ? 'failed' : 'ok', Date.now(), Date.now(), attempts.length === 1 ? 'collector unreachable' : undefined);
    });
    const d = daemon(prefix, { attempts: 2, backoffMs: 200 });
    await d.backend.enqueue(cliRequest('cli-flaky'));
    await until(() => d.results.length === 1);
    expect(d.results.map((r) => [r.runId, r.outcome])).toEqual([['cli-flaky', 'ok']]);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(190);
  });

  it("reports the last failure when every attempt fails", async () => {
    const prefix = prefixFor();
    let n = 0;
    worker(prefix, async (request) => fakeResult(request, 'failed', Date.now(), Date.now(), `attempt ${++n} failed`));
    const d = daemon(prefix, { attempts: 3, backoffMs: 20 });
    await d.backend.enqueue(cliRequest('cli-broken'));
    await until(() => d.results.length === 1);
    expect(d.results.map((r) => [r.outcome, r.error])).toEqual([['failed', 'attempt 3 failed']]);
  });

  it('drains a worker on close: a run past the grace period is aborted and still reported', async () => {
    const prefix = prefixFor();
    const w = worker(prefix, (request, _cursors, signal) =>
      new Promise((resolve) => {
        const started = Date.now();
        signal.addEventListener('abort', () => resolve(fakeResult(request, 'aborted', started, Date.now(), 'aborted')), { once: true });
      }),
    );
    const d = daemon(prefix);
    await d.backend.enqueue(cliRequest('cli-long'));
    await until(() => w.executing.size === 1);
    await w.close(200);
    await until(() => d.results.length === 1);
    expect(d.results.map((r) => [r.runId, r.outcome])).toEqual([['cli-long', 'aborted']]);
  });

  it('validates what it reads from Redis: a worker result that breaks the schema becomes a failed run with the reason', async () => {
    const prefix = prefixFor();
    worker(prefix, async (request) => ({ ...fakeResult(request, 'ok', Date.now(), Date.now()), findings: [{ resourceId: '', title: 'x' }] as never }));
    const d = daemon(prefix);
    await d.backend.enqueue(cliRequest('cli-bad'));
    await until(() => d.results.length === 1);
    expect(d.results[0]).toMatchObject({ runId: 'cli-bad', outcome: 'failed' });
    expect(d.results[0]!.error).toMatch(/^the check produced a result that does not match the result schema: findings\.0\.resourceId/);
  });

  it('caps concurrent runs of a check across all workers (queue.checkConcurrency), other checks unaffected', async () => {
    const prefix = prefixFor();
    let running = 0;
    let most = 0;
    const starts: string[] = [];
    const execute: WorkerExecute = async (request) => {
      const started = Date.now();
      starts.push(request.checkId);
      if (request.checkId === 'ports.unexpected-open') {
        running += 1;
        most = Math.max(most, running);
      }
      await new Promise((r) => setTimeout(r, 250));
      if (request.checkId === 'ports.unexpected-open') running -= 1;
      return fakeResult(request, 'ok', started, Date.now());
    };
    worker(prefix, execute);
    worker(prefix, execute);
    const d = daemon(prefix, { checkConcurrency: checkLimit({ 'ports.*': 1 }) });
    for (const id of ['a', 'b', 'c']) await d.backend.enqueue(cliRequest(`ports-${id}`));
    await d.backend.enqueue({ ...cliRequest('dns-1'), checkId: 'dns.dangling-cname' });
    await until(() => d.results.length === 4, 15_000);
    expect(d.results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(most).toBe(1);
    // The other check was not held back behind the capped one.
    expect(starts.indexOf('dns.dangling-cname')).toBeLessThan(3);
  });

  it('picks a check limit by exact id first, then the longest matching glob', () => {
    const limit = checkLimit({ 'aws.*': 4, 'aws.iam.*': 2, 'aws.iam.root-mfa': 1 });
    expect(['aws.iam.root-mfa', 'aws.iam.keys', 'aws.s3.public', 'ports.unexpected-open'].map(limit)).toEqual([1, 2, 4, undefined]);
  });
});
