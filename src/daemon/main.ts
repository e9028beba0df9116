import type { LoadedConfig, ResolvedJob } from '../config/load.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { recordRun } from '../store/record-run.js';
import { lastSlot, readCursors } from '../store/queries/runs.js';
import type { RunResult } from '../runs/run-result.js';
import type { RunBackend } from '../../jobs/backend.js';
import { createBackend } from '../../jobs/create-backend.js';
import { startDaemonApi } from '../api/daemon-api.js';
import { CollectionMemo } from '../../jobs/collection-memo.js';
import { executeRun } from '../../jobs/runner.js';
import type { ScheduleSpec } from '../../jobs/schedule.js';
import { registry } from '../../checks/registry.js';
import { startRunRequestPoller } from './run-request-poller.js';
import { startOutboxDispatcher } from '../notify/index.js';

export interface DaemonHandle {
  readonly backend: RunBackend;
  /** Stop ticking, let running checks finish within the grace period, abort the rest, record everything. */
  stop(): Promise<void>;
}

export function schedulesFromJobs(jobs: readonly ResolvedJob[]): ScheduleSpec[] {
  return jobs
    .filter((job) => job.enabled && job.schedule)
    .map((job) => ({
      id: job.name,
      checkId: job.checkId,
      targetId: job.target,
      options: job.options,
      timeoutMs: job.timeoutMs,
      ...(job.schedule!.cron !== undefined ? { cron: job.schedule!.cron } : {}),
      ...(job.schedule!.everyMs !== undefined ? { every: job.schedule!.everyMs } : {}),
      ...(job.schedule!.timezone !== undefined ? { timezone: job.schedule!.timezone } : {}),
      jitterMs: job.schedule!.jitterMs,
      overlap: job.overlap,
      catchup: job.catchup,
    }));
}

/**
 * The daemon is the single writer of the ledger: every result, from whichever backend, lands here and is recorded in
 * one transaction. Checks run through the backend; the in-process one is the embedded default.
 */
export async function startDaemon(loaded: LoadedConfig, db: Db, log: Logger, services: Record<string, unknown>): Promise<DaemonHandle> {
  // Run backend (jobs/create-backend.ts): in-process by default, BullMQ workers when `queue` is a redis:// URL.
  const collectionMemo = new CollectionMemo();
  const { backend, kind: backendKind, queueCounts } = await createBackend(loaded.config, {
    execute: (request, signal) =>
      executeRun(request, { checks: registry, log, services, collectionMemo, readCursors: (checkId, targetId) => readCursors(db, checkId, targetId) }, signal),
    lastSlot: (scheduleId) => lastSlot(db, scheduleId),
    readCursors: (checkId, targetId) => readCursors(db, checkId, targetId),
    log,
  });
  backend.onResult((result: RunResult) => {
    const summary = recordRun(db, result);
    const fields = { check: result.checkId, target: result.targetId, run: result.runId, outcome: result.outcome };
    if (!summary.recorded) log.warn(fields, 'duplicate result for an already recorded run ignored');
    else if (result.outcome === 'skipped') log.info({ ...fields, reason: result.skipReason, count: result.skipCount ?? 1 }, 'tick skipped');
    else
      log.info(
        { ...fields, seen: summary.seen, new: summary.new, reopened: summary.reopened, resolved: summary.resolved, ms: result.finishedAt - result.startedAt, error: result.error },
        'run recorded',
      );
  });
  const schedules = schedulesFromJobs(loaded.jobs);
  await backend.schedule(schedules);
  log.info({ schedules: schedules.map((s) => s.id), store: loaded.config.store.path, backend: backendKind }, 'daemon started');
  // TUI "run now" (issue 11): polls run_requests and refreshes the heartbeat the TUI uses to decide who runs a check.
  const runRequests = startRunRequestPoller({ db, jobs: loaded.jobs, enqueue: (request) => backend.enqueue(request), log });
  // HTTP API + Prometheus metrics (src/api): only when api.enabled; closed first at shutdown so no run starts late.
  const api = await startDaemonApi({ loaded, db, log, backend, queueCounts });
  // Alerts and tickets (src/notify): delivers the outbox rows recordRun writes; stopped after the last run is recorded.
  const outbox = startOutboxDispatcher(db, loaded.config, log);
  return {
    backend,
    stop: async () => {
      runRequests.stop();
      await api?.close();
      await backend.close({ graceMs: loaded.config.daemon.shutdownGrace });
      await outbox.stop(loaded.config.daemon.shutdownGrace);
    },
  };
}
