import { DelayedError, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { describeError } from '../../src/check-api/errors.js';
import type { Logger } from '../../src/log.js';
import { runResultSchema, type RunRequest, type RunResult } from '../../src/runs/run-result.js';
import { CheckLeases } from './check-lease.js';
import { ABORT_CHANNEL, DEFAULT_PREFIX, RESULTS_QUEUE, RUNS_QUEUE, abortMessageSchema, jobIdFor, redisConnection, requestFromJob } from './wire.js';

/** Executes one run on a worker; the cursors come from the daemon with the job. */
export type WorkerExecute = (request: RunRequest, cursors: Record<string, string>, signal: AbortSignal) => Promise<RunResult>;

export interface RunWorkerOptions {
  readonly redisUrl: string;
  readonly prefix?: string;
  /** Runs at once in this process. */
  readonly concurrency?: number;
  readonly execute: WorkerExecute;
  readonly log: Logger;
  /** How long a worker's hold on a run lasts without renewal; a killed worker's run is re-run after about this long. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** How often a run may lose its worker (killed, frozen) and be re-run before it is reported failed. */
  readonly maxStalledCount?: number;
  readonly name?: string;
}

export interface RunWorker {
  ready(): Promise<void>;
  /** Run ids whose execute() is in progress here. */
  readonly executing: ReadonlySet<string>;
  /** Redis operations in flight (for tests that need to know the system is quiet). */
  pendingIo(): number;
  /** Takes no new runs, waits `graceMs` for running ones, aborts the rest (they report 'aborted'), then disconnects. */
  close(graceMs: number): Promise<void>;
}

export const DEFAULT_LOCK_DURATION_MS = 30_000;
/** A run whose check is at its concurrency limit is tried again after 0.5-1 s. */
const CHECK_BUSY_RETRY_MS = 500;

/**
 * `audit worker`'s engine: takes runs from the `runs` queue, executes them, and puts each result on the `results`
 * queue under the run's job id. That id makes reporting idempotent: a run re-executed after its first worker died
 * after reporting finds its result already there and does not run again; a second report of the same run is a no-op.
 */
export function startRunWorker(options: RunWorkerOptions): RunWorker {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const connection: ConnectionOptions = redisConnection(options.redisUrl);
  const log = options.log.child({ worker: options.name ?? `${hostname()}:${process.pid}` });
  const executing = new Set<string>();
  let pending = 0;
  const track = async <T>(work: Promise<T>): Promise<T> => {
    pending += 1;
    try {
      return await work;
    } finally {
      pending -= 1;
    }
  };
  const results = new Queue(RESULTS_QUEUE, { connection, prefix });
  const leaseRedis = new Redis({ ...(connection as object) });
  leaseRedis.on('error', (error) => log.warn({ err: describeError(error) }, 'redis error (check leases)'));
  const leases = new CheckLeases(leaseRedis, prefix, options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS);
  results.on('error', (error: Error) => log.warn({ err: describeError(error) }, 'redis error (results queue)'));

  const worker = new Worker(
    RUNS_QUEUE,
    async (job: Job, token?: string, signal?: AbortSignal) => {
      const { request, cursors, checkConcurrency } = requestFromJob(job.data);
      const jobId = job.id!;
      if (await track(results.getJob(jobId))) {
        log.info({ run: request.runId }, 'run already reported by an earlier attempt; not running it again');
        return 'already-reported';
      }
      let release: (() => Promise<void>) | undefined;
      if (checkConcurrency !== undefined) {
        if (!(await track(leases.acquire(request.checkId, request.runId, checkConcurrency)))) {
          // The check is at its cluster-wide limit: back to the delayed set (not an attempt), tried again shortly.
          await job.moveToDelayed(Date.now() + CHECK_BUSY_RETRY_MS + Math.floor(Math.random() * CHECK_BUSY_RETRY_MS), token);
          throw new DelayedError();
        }
        release = leases.hold(request.checkId, request.runId);
      }
      executing.add(request.runId);
      let result: RunResult;
      try {
        result = await options.execute(request, cursors, signal ?? new AbortController().signal);
      } catch (error) {
        result = workerFailure(request, `execute threw: ${describeError(error)}`);
      } finally {
        executing.delete(request.runId);
        await release?.().catch((error: unknown) => log.warn({ run: request.runId, err: describeError(error) }, 'could not release the check lease; it expires'));
      }
      const maxAttempts = job.opts.attempts ?? 1;
      if (result.outcome === 'failed' && job.attemptsMade + 1 < maxAttempts && !signal?.aborted) {
        // BullMQ retries the job after its backoff; only the last attempt's failure reaches the ledger.
        log.warn({ run: request.runId, attempt: job.attemptsMade + 1, of: maxAttempts, err: result.error }, 'run failed; retrying');
        throw new Error(`run failed (attempt ${job.attemptsMade + 1} of ${maxAttempts}): ${result.error ?? 'no error message'}`);
      }
      const checked = runResultSchema.safeParse(result);
      const payload = checked.success
        ? checked.data
        : workerFailure(request, `the check produced a result that does not match the result schema: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      await track(results.add('result', payload, { jobId, removeOnComplete: { age: 86_400 } }));
      log.info({ run: request.runId, check: request.checkId, outcome: payload.outcome, ms: payload.finishedAt - payload.startedAt }, 'run reported');
      return 'reported';
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      stalledInterval: options.stalledIntervalMs ?? options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      maxStalledCount: options.maxStalledCount ?? 1,
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
      ...(options.name !== undefined ? { name: options.name } : {}),
    },
  );
  worker.on('error', (error) => log.warn({ err: describeError(error) }, 'redis error (worker)'));

  // Abort requests from the daemon at its shutdown: BullMQ hands the processor an AbortSignal per job.
  const subscriber = new Redis({ ...(connection as object), lazyConnect: true });
  subscriber.on('error', (error) => log.warn({ err: describeError(error) }, 'redis error (abort subscriber)'));
  subscriber.on('message', (_channel: string, message: string) => {
    let parsed;
    try {
      parsed = abortMessageSchema.parse(JSON.parse(message));
    } catch (error) {
      log.warn({ err: describeError(error) }, 'malformed abort message ignored');
      return;
    }
    for (const runId of parsed.runIds) if (worker.cancelJob(jobIdFor(runId), parsed.reason)) log.warn({ run: runId, reason: parsed.reason }, 'run aborted on request');
  });
  const ready = (async () => {
    await subscriber.connect();
    await subscriber.subscribe(`${prefix}:${ABORT_CHANNEL}`);
    await Promise.all([worker.waitUntilReady(), results.waitUntilReady()]);
  })();
  ready.catch(() => undefined);

  let closing: Promise<void> | undefined;
  return {
    ready: () => ready,
    executing,
    pendingIo: () => pending,
    close(graceMs: number): Promise<void> {
      closing ??= (async () => {
        const drained = worker.close();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeUp = new Promise<'time-up'>((resolve) => (timer = setTimeout(() => resolve('time-up'), graceMs)));
        if ((await Promise.race([drained.then(() => 'drained' as const), timeUp])) === 'time-up') {
          log.warn({ runs: [...executing], graceMs }, 'aborting runs still going after the drain grace period');
          worker.cancelAllJobs('Vigil worker is shutting down');
          await drained;
        }
        clearTimeout(timer);
        await Promise.allSettled([results.close(), subscriber.quit(), leaseRedis.quit()]);
      })();
      return closing;
    },
  };
}

function workerFailure(request: RunRequest, error: string): RunResult {
  const now = Date.now();
  return {
    runId: request.runId,
    checkId: request.checkId,
    targetId: request.targetId,
    trigger: request.trigger,
    ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId } : {}),
    ...(request.slot !== undefined ? { slot: request.slot } : {}),
    outcome: 'failed',
    error,
    startedAt: now,
    finishedAt: now,
    coverage: { ok: [], failed: [] },
    findings: [],
    cursorWrites: {},
  };
}
