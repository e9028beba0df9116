import type { VigilConfig } from '../src/config/schema.js';
import type { Logger } from '../src/log.js';
import type { ExecuteRun, RunBackend } from './backend.js';
import { createInProcessBackend } from './in-process/backend.js';

export interface BackendDeps {
  /** Runs a check here; used by the in-process backend only (with BullMQ, `audit worker` processes execute). */
  readonly execute: ExecuteRun;
  readonly lastSlot: (scheduleId: string) => number | undefined;
  readonly readCursors: (checkId: string, targetId: string) => Record<string, string>;
  readonly log: Logger;
}

export interface CreatedBackend {
  readonly backend: RunBackend;
  readonly kind: 'in-process' | 'bullmq';
  /** Jobs by state on the queue (BullMQ only), for /readyz and metrics. */
  readonly queueCounts?: () => Promise<{ waiting: number; active: number; delayed: number; failed: number }>;
}

/** `queue: in-process` (default) keeps runs in the daemon; `queue: redis://...` puts them on BullMQ for `audit worker`. */
export async function createBackend(config: Pick<VigilConfig, 'queue' | 'daemon'>, deps: BackendDeps): Promise<CreatedBackend> {
  if (config.queue.url === 'in-process') {
    return {
      kind: 'in-process',
      backend: createInProcessBackend({ execute: deps.execute, lastSlot: deps.lastSlot, log: deps.log, maxConcurrentRuns: config.daemon.maxConcurrentRuns }),
    };
  }
  // Loaded on demand: the embedded default should not pay for BullMQ and ioredis.
  const { createBullmqBackend } = await import('./bullmq/backend.js');
  const backend = createBullmqBackend({
    redisUrl: config.queue.url,
    prefix: config.queue.prefix,
    lastSlot: deps.lastSlot,
    readCursors: deps.readCursors,
    log: deps.log,
    attempts: config.queue.attempts,
    backoffMs: config.queue.retryBackoff,
    checkConcurrency: checkLimit(config.queue.checkConcurrency),
  });
  try {
    await backend.ready();
  } catch (error) {
    await backend.close({ graceMs: 0 }).catch(() => undefined);
    throw error;
  }
  return { kind: 'bullmq', backend, queueCounts: () => backend.queueCounts() };
}

/** The limit for a check: its exact id wins, else the longest matching `prefix*` glob. */
export function checkLimit(limits: Readonly<Record<string, number>>): (checkId: string) => number | undefined {
  const globs = Object.entries(limits)
    .filter(([key]) => key.endsWith('*'))
    .sort(([a], [b]) => b.length - a.length);
  return (checkId) => limits[checkId] ?? globs.find(([key]) => checkId.startsWith(key.slice(0, -1)))?.[1];
}
