import type { RunRequest, RunResult } from '../src/runs/run-result.js';
import { scheduledRunId } from '../src/runs/run-result.js';
import type { ScheduleSpec } from './schedule.js';

/**
 * The one contract both run backends implement: the embedded in-process scheduler and the BullMQ one. Whatever the
 * backend, every tick of every schedule comes back through `onResult` exactly once (a run, or a skipped tick), so the
 * single writer of the ledger can account for all of them. test/jobs/backend.conformance.ts holds both to it.
 */
export interface RunBackend {
  /** Installs the schedules, replacing any installed before (matched by id), and starts ticking. */
  schedule(schedules: readonly ScheduleSpec[]): Promise<void>;
  /** Runs a request now (CLI, TUI, HTTP trigger); resolves once accepted, and the result arrives through onResult. */
  enqueue(request: RunRequest): Promise<void>;
  /** Every outcome, skipped ticks included, in the order they finished. A handler that throws is logged, not fatal. */
  onResult(handler: (result: RunResult) => Promise<void> | void): void;
  /**
   * Stops ticking, waits up to graceMs for running runs, then aborts them (they report 'aborted'). Resolves when every
   * result has been handed to the onResult handlers.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Runs one request. Never rejects in practice (the runner turns failures into outcomes); must honour the signal. */
export type ExecuteRun = (request: RunRequest, signal: AbortSignal) => Promise<RunResult>;

/** The scheduler's only view of time, so tests can drive it with a fake clock. */
export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type SkipReason = 'missed' | 'overlap';

/**
 * A tick that did not run, as a result the ledger records like any other, so "nothing happened at 03:00" is a fact
 * with a reason and not a gap. `count` stands for that many consecutive slots starting at `slot` (the overflow of a
 * long outage); without it the result is one slot.
 */
export function skippedTickResult(spec: ScheduleSpec, slot: number, reason: SkipReason, now: number, count?: number): RunResult {
  return {
    runId: scheduledRunId(spec.id, slot),
    checkId: spec.checkId,
    targetId: spec.targetId,
    trigger: 'schedule',
    scheduleId: spec.id,
    slot,
    outcome: 'skipped',
    skipReason: reason,
    ...(count !== undefined ? { skipCount: count } : {}),
    startedAt: now,
    finishedAt: now,
    coverage: { ok: [], failed: [] },
    findings: [],
    cursorWrites: {},
  };
}

/** The request a tick of `spec` at `slot` runs; its run id comes from (schedule, slot), so a tick is run once. */
export function scheduledRequest(spec: ScheduleSpec, slot: number, trigger: 'schedule' | 'catchup'): RunRequest {
  return {
    runId: scheduledRunId(spec.id, slot),
    checkId: spec.checkId,
    targetId: spec.targetId,
    trigger,
    scheduleId: spec.id,
    slot,
    options: spec.options,
    timeoutMs: spec.timeoutMs,
  };
}

/** A request that was accepted but never started because the backend shut down: accounted for, as 'aborted'. */
export function abortedBeforeStartResult(request: RunRequest, now: number): RunResult {
  return {
    runId: request.runId,
    checkId: request.checkId,
    targetId: request.targetId,
    trigger: request.trigger,
    ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId } : {}),
    ...(request.slot !== undefined ? { slot: request.slot } : {}),
    outcome: 'aborted',
    error: 'shut down before this run started',
    startedAt: now,
    finishedAt: now,
    coverage: { ok: [], failed: [] },
    findings: [],
    cursorWrites: {},
  };
}
