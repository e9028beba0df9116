import type { Logger } from '../../src/log.js';
import type { RunRequest } from '../../src/runs/run-result.js';
import { systemClock, type ExecuteRun, type RunBackend, type SchedulerClock } from '../backend.js';
import type { ScheduleSpec } from '../schedule.js';
import { ResultFeed } from './result-feed.js';
import { RunPool } from './run-pool.js';
import { Scheduler } from './scheduler.js';

export interface InProcessBackendOptions {
  readonly execute: ExecuteRun;
  readonly clock?: SchedulerClock;
  /** The last slot the ledger accounted for per schedule (`lastSlot(db, id)`), so a restart catches up once. */
  readonly lastSlot: (scheduleId: string) => number | undefined;
  readonly log: Logger;
  /** In [0, 1); picks each tick's jitter (Math.random by default). */
  readonly random?: () => number;
  /** Runs at once, scheduled and enqueued alike; more wait first in, first out. */
  readonly maxConcurrentRuns?: number;
}

export const DEFAULT_MAX_CONCURRENT_RUNS = 4;
/** Matches the config default `daemon.shutdownGrace`. */
export const DEFAULT_GRACE_MS = 30_000;

/**
 * The embedded default backend: schedules tick on timers in this process and runs execute here, sharing one pool of
 * run slots with on-demand requests. Nothing is persisted here; the ledger (through onResult and `lastSlot`) is the
 * memory that makes restarts catch up once and never run a tick twice.
 */
export function createInProcessBackend(options: InProcessBackendOptions): RunBackend {
  const clock = options.clock ?? systemClock;
  const maxConcurrent = options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS;
  if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1)) throw new RangeError(`maxConcurrentRuns must be a whole number >= 1, got ${maxConcurrent}`);
  const feed = new ResultFeed(options.log);
  const publish = feed.publish.bind(feed);
  const pool = new RunPool({ execute: options.execute, clock, log: options.log, maxConcurrent, publish });
  const scheduler = new Scheduler({
    clock,
    log: options.log,
    random: options.random ?? Math.random,
    lastSlot: options.lastSlot,
    run: (request) => pool.submit(request),
    publish,
  });
  let closing: Promise<void> | undefined;
  const assertOpen = (what: string): void => {
    if (closing) throw new Error(`cannot ${what}: the backend is closed`);
  };

  return {
    async schedule(schedules: readonly ScheduleSpec[]): Promise<void> {
      assertOpen('install schedules');
      scheduler.install(schedules);
    },
    async enqueue(request: RunRequest): Promise<void> {
      assertOpen(`enqueue run ${request.runId}`);
      void pool.submit(request);
    },
    onResult(handler): void {
      feed.subscribe(handler);
    },
    close(closeOptions?: { graceMs?: number }): Promise<void> {
      closing ??= (async () => {
        scheduler.stop();
        await pool.close(closeOptions?.graceMs ?? DEFAULT_GRACE_MS);
        await feed.drained();
      })();
      return closing;
    },
  };
}
