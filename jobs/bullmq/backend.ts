import { Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError } from '../../src/check-api/errors.js';
import type { Logger } from '../../src/log.js';
import { runResultSchema, type RunRequest, type RunResult } from '../../src/runs/run-result.js';
import { systemClock, type RunBackend, type SchedulerClock } from '../backend.js';
import { ResultFeed } from '../in-process/result-feed.js';
import { Scheduler } from '../in-process/scheduler.js';
import type { ScheduleSpec } from '../schedule.js';
import { RemoteRuns, type RunQueuePort } from './remote-runs.js';
import { ABORT_CHANNEL, DEFAULT_PREFIX, RESULTS_QUEUE, RUNS_QUEUE, jobIdFor, redisConnection, requestFromJob, runIdFromJobId, type RunJob } from './wire.js';

export interface BullmqBackendOptions {
  /** redis:// or rediss:// URL. */
  readonly redisUrl: string;
  /** Key prefix in Redis; several Vigil installations (or tests) share one Redis by using different prefixes. */
  readonly prefix?: string;
  readonly clock?: SchedulerClock;
  readonly lastSlot: (scheduleId: string) => number | undefined;
  /** Cursors the ledger holds for (check, target), sent with the job because workers never open the database. */
  readonly readCursors?: (checkId: string, targetId: string) => Record<string, string>;
  readonly log: Logger;
  readonly random?: () => number;
  /** Attempts per run: a run whose outcome is 'failed' is retried on a worker with exponential backoff. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  /** Cluster-wide cap on concurrent runs of a check, if any (from queue.checkConcurrency). */
  readonly checkConcurrency?: (checkId: string) => number | undefined;
}

export interface BullmqBackend extends RunBackend {
  /** Resolves when the queues and the result consumer are connected; rejects when Redis cannot be reached. */
  ready(): Promise<void>;
  /** Run ids on the queue whose result has not come back (for tests and /readyz). */
  outstanding(): string[];
  /** Run ids a worker has been seen to start (QueueEvents 'active'), still outstanding. */
  started(): ReadonlySet<string>;
  /** Redis operations this process has in flight (for tests that need to know the system is quiet). */
  pendingIo(): number;
  /** Jobs waiting for a worker, running, and failed on the runs queue. */
  queueCounts(): Promise<{ waiting: number; active: number; delayed: number; failed: number }>;
}

/** Results are kept in Redis this long after the daemon took them, so a late duplicate from a worker is a no-op. */
const KEEP_RESULTS_S = 24 * 3600;
const RESULT_FETCH_CONCURRENCY = 16;

/**
 * BullMQ run backend, daemon side. The daemon computes every slot with the shared schedule maths (the in-process
 * Scheduler, unchanged), puts each tick on the `runs` queue with a job id derived from its run id, and takes results
 * from the `results` queue. BullMQ's own job schedulers are not used: measured on 6.7 they drop ticks missed while
 * no worker is up without any record and coalesce an outage into one run of the oldest slot (research/platform.md
 * §1.4), and they cannot skip or queue-one an overlapping tick. Here a missed tick is a skipped result in the ledger,
 * a re-enqueued tick (daemon restart) is the same job id and so no second run, and a run re-executed after a worker
 * died comes back under the same run id, which the ledger accepts once.
 */
export function createBullmqBackend(options: BullmqBackendOptions): BullmqBackend {
  const clock = options.clock ?? systemClock;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const log = options.log.child({ backend: 'bullmq' });
  const connection: ConnectionOptions = redisConnection(options.redisUrl);
  const attempts = options.attempts ?? 1;
  const backoffMs = options.backoffMs ?? 10_000;
  let pending = 0;
  const track = async <T>(work: Promise<T>): Promise<T> => {
    pending += 1;
    try {
      return await work;
    } finally {
      pending -= 1;
    }
  };

  const runs = new Queue(RUNS_QUEUE, { connection, prefix });
  const results = new Queue(RESULTS_QUEUE, { connection, prefix });
  // From the start of the event stream: an event written between connecting and the first read is not lost. Replayed
  // events are harmless (only outstanding runs count, and a failure already reported has no job left).
  const events = new QueueEvents(RUNS_QUEUE, { connection, prefix, lastEventId: '0-0' });
  const publisher = new Redis({ ...(connection as object), lazyConnect: true });
  const onRedisError = (error: Error) => log.warn({ err: describeError(error) }, 'redis error');
  runs.on('error', onRedisError);
  results.on('error', onRedisError);
  events.on('error', onRedisError);
  publisher.on('error', (error) => log.warn({ err: describeError(error) }, 'redis error (publisher)'));

  const feed = new ResultFeed(log);
  const startedRuns = new Set<string>();

  const port: RunQueuePort = {
    add: async (request) => {
      const limit = options.checkConcurrency?.(request.checkId);
      const data: RunJob = {
        request,
        cursors: options.readCursors?.(request.checkId, request.targetId) ?? {},
        enqueuedAt: Date.now(),
        ...(limit !== undefined ? { checkConcurrency: limit } : {}),
      };
      const job = await track(
        runs.add(request.checkId, data, {
          jobId: jobIdFor(request.runId),
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: { age: KEEP_RESULTS_S },
          removeOnFail: { age: 7 * KEEP_RESULTS_S },
        }),
      );
      // Same run id as a job still kept in Redis: BullMQ keeps that job instead of adding one. If it already
      // finished, no new result will come, so hand over the one it left (or say it was lost) instead of waiting.
      void track(resolveExisting(request, job.id!));
    },
    withdraw: async (runId) => {
      // remove() refuses a job a worker holds the lock of: it returns 0, and that run reports through a worker.
      return track(runs.remove(jobIdFor(runId)).then((removed) => removed === 1));
    },
    abort: async (runIds, reason) => {
      await track(publisher.publish(`${prefix}:${ABORT_CHANNEL}`, JSON.stringify({ runIds, reason })));
    },
  };

  const remote = new RemoteRuns({
    port,
    clock,
    log,
    publish: (result) => {
      startedRuns.delete(result.runId);
      feed.publish(result);
    },
  });

  // A tick that comes while this schedule's previous run still waits for a worker was missed (no worker took it), not
  // an overlap with a running check: the ledger says so, which is the difference an outage makes.
  const publishFromScheduler = (result: RunResult): void => {
    if (result.outcome === 'skipped' && result.skipReason === 'overlap' && result.scheduleId !== undefined) {
      const waitingForWorker = remote
        .outstanding()
        .some((runId) => remote.requestFor(runId)?.scheduleId === result.scheduleId && !startedRuns.has(runId));
      if (waitingForWorker) {
        feed.publish({ ...result, skipReason: 'missed', error: 'no worker took the previous tick of this schedule yet' });
        return;
      }
    }
    feed.publish(result);
  };

  const scheduler = new Scheduler({
    clock,
    log,
    random: options.random ?? Math.random,
    lastSlot: options.lastSlot,
    run: (request) => {
      const { accepted, finished } = remote.submit(request);
      accepted.catch((error: unknown) => {
        // Redis down at tick time: the tick is accounted for as failed rather than lost.
        log.error({ run: request.runId, err: describeError(error) }, 'could not put a scheduled run on the queue');
        remote.deliver(queueFailure(request, clock.now(), `could not put the run on the queue: ${describeError(error)}`));
      });
      return finished;
    },
    publish: publishFromScheduler,
  });

  const resultWorker = new Worker(
    RESULTS_QUEUE,
    async (job: Job) => {
      const parsed = runResultSchema.safeParse(job.data);
      if (!parsed.success) {
        log.error({ job: job.id, issues: parsed.error.issues.slice(0, 5) }, 'malformed result on the results queue; dropped');
        return 'malformed';
      }
      remote.deliver(parsed.data as RunResult);
      // The job completes (and leaves the queue) only once the ledger has it: a daemon that dies here gets it again.
      await feed.drained();
      return 'recorded';
    },
    // Several results are taken at once (a BullMQ job costs a few Redis round trips); delivery into the feed stays
    // serial and in the order the results were taken, so the ledger still sees one result at a time.
    { connection, prefix, concurrency: RESULT_FETCH_CONCURRENCY, removeOnComplete: { age: KEEP_RESULTS_S }, removeOnFail: { age: 7 * KEEP_RESULTS_S } },
  );
  resultWorker.on('error', (error) => log.warn({ err: describeError(error) }, 'redis error (result consumer)'));

  events.on('active', ({ jobId }) => {
    const runId = runIdFromJobId(jobId);
    if (remote.requestFor(runId)) startedRuns.add(runId);
  });
  // Jobs fail on the queue only when BullMQ gives up on them (stalled more than allowed: workers died holding it);
  // the run still needs its one result.
  events.on('failed', ({ jobId, failedReason }) => {
    void track(reportQueueFailure(jobId, failedReason));
  });

  async function resolveExisting(request: RunRequest, jobId: string): Promise<void> {
    try {
      const state = await runs.getJobState(jobId);
      if (state !== 'completed') return; // waiting, running or failing: its result is still to come
      const earlier = await results.getJob(jobId);
      const parsed = earlier ? runResultSchema.safeParse(earlier.data) : undefined;
      log.warn({ run: request.runId, state }, 'run id was already executed; using its earlier result');
      remote.deliver(
        parsed?.success ? (parsed.data as RunResult) : queueFailure(request, clock.now(), 'this run id was already executed and its result is no longer available'),
      );
    } catch (error) {
      log.error({ run: request.runId, err: describeError(error) }, 'could not look up an earlier run with the same id');
    }
  }

  async function reportQueueFailure(jobId: string, reason: string): Promise<void> {
    try {
      const job = await runs.getJob(jobId);
      if (!job) return;
      const { request } = requestFromJob(job.data);
      const result = queueFailure(request, Date.now(), `the queue gave up on this run: ${reason}`);
      await results.add('result', result, { jobId, removeOnComplete: { age: KEEP_RESULTS_S } });
      await job.remove();
    } catch (error) {
      log.error({ job: jobId, err: describeError(error) }, 'could not report a run the queue gave up on');
    }
  }

  const ready = (async () => {
    await Promise.all([runs.waitUntilReady(), results.waitUntilReady(), events.waitUntilReady(), resultWorker.waitUntilReady(), publisher.connect()]);
    // Runs that failed on the queue while no daemon listened still get their result.
    for (const job of await runs.getFailed(0, 999)) if (job.id) await reportQueueFailure(job.id, job.failedReason ?? 'failed');
  })();
  ready.catch(() => undefined);

  let closing: Promise<void> | undefined;
  const assertOpen = (what: string): void => {
    if (closing) throw new Error(`cannot ${what}: the backend is closed`);
  };

  return {
    ready: () => ready,
    outstanding: () => remote.outstanding(),
    started: () => startedRuns,
    pendingIo: () => pending,
    async queueCounts() {
      const counts = await runs.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
    },
    async schedule(schedules: readonly ScheduleSpec[]): Promise<void> {
      assertOpen('install schedules');
      await ready;
      scheduler.install(schedules);
    },
    async enqueue(request: RunRequest): Promise<void> {
      assertOpen(`enqueue run ${request.runId}`);
      await ready;
      await remote.submit(request).accepted;
    },
    onResult(handler): void {
      feed.subscribe(handler);
    },
    close(closeOptions?: { graceMs?: number }): Promise<void> {
      closing ??= (async () => {
        scheduler.stop();
        await ready.catch(() => undefined);
        await remote.close(closeOptions?.graceMs ?? 30_000);
        await feed.drained();
        await resultWorker.close();
        await Promise.allSettled([runs.close(), results.close(), events.close(), publisher.quit()]);
      })();
      return closing;
    },
  };
}

function queueFailure(request: RunRequest, now: number, error: string): RunResult {
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
