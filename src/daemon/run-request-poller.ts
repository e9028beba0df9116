import { randomUUID } from 'node:crypto';
import type { ResolvedJob } from '../config/load.js';
import type { Logger } from '../log.js';
import type { RunRequest } from '../runs/run-result.js';
import type { Db } from '../store/db.js';
import { claimPendingRunRequests, writeHeartbeat } from '../store/run-requests.js';

export interface RunRequestPollerDeps {
  readonly db: Db;
  readonly jobs: readonly ResolvedJob[];
  readonly enqueue: (request: RunRequest) => Promise<void>;
  readonly log: Logger;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export interface RunRequestPoller {
  /** One poll: heartbeat, then dispatch every pending request. Exposed so tests need no timers. */
  pollOnce(): void;
  stop(): void;
}

/**
 * Lets clients that share the ledger (the TUI's "run now") reach this daemon: each poll refreshes the heartbeat and turns
 * every pending run request into one run per enabled job of that check. A request for a check without a job is
 * rejected with a reason the client shows, never silently dropped.
 */
export function startRunRequestPoller(deps: RunRequestPollerDeps): RunRequestPoller {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const pollOnce = () => {
    writeHeartbeat(deps.db, startedAt, now());
    const toEnqueue: RunRequest[] = [];
    claimPendingRunRequests(
      deps.db,
      (request) => {
        const jobs = deps.jobs.filter((job) => job.enabled && job.checkId === request.checkId);
        if (jobs.length === 0) return { status: 'rejected', detail: `no enabled job runs ${request.checkId} in the daemon's config` };
        for (const job of jobs) {
          toEnqueue.push({ runId: `run-${randomUUID()}`, checkId: job.checkId, targetId: job.target, trigger: 'tui', options: job.options, timeoutMs: job.timeoutMs });
        }
        return { status: 'dispatched', detail: `queued ${jobs.map((job) => job.name).join(', ')}` };
      },
      now(),
    );
    for (const request of toEnqueue) {
      deps.log.info({ check: request.checkId, target: request.targetId, run: request.runId }, 'run requested from the ledger');
      deps.enqueue(request).catch((error: unknown) => deps.log.error({ err: error, run: request.runId }, 'could not enqueue a requested run'));
    }
  };
  const tick = () => {
    try {
      pollOnce();
    } catch (error) {
      // A busy ledger delays a request by one poll; it does not stop the daemon.
      deps.log.warn({ err: error }, 'run request poll failed; retrying');
    }
  };
  tick();
  const timer = setInterval(tick, deps.intervalMs ?? 1000);
  timer.unref();
  return {
    pollOnce,
    stop: () => clearInterval(timer),
  };
}
