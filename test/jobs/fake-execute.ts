import type { RunOutcome } from '../../src/check-api/types.js';
import type { RunRequest, RunResult } from '../../src/runs/run-result.js';
import type { ExecuteRun, SchedulerClock } from '../../jobs/backend.js';

export interface FakeRunCall {
  readonly request: RunRequest;
  readonly startedAt: number;
  readonly signal: AbortSignal;
}

/**
 * A stand-in for the runner that takes time on the scheduler clock. Each run lasts `durationFor(request)` ms and ends
 * 'ok', or 'aborted' as soon as its signal aborts (as the real runner does), unless `ignoreAbort` says it hangs.
 */
export class FakeExecutor {
  readonly calls: FakeRunCall[] = [];
  durationFor: (request: RunRequest) => number = () => 1_000;
  ignoreAbort = false;
  running = 0;
  maxRunning = 0;

  constructor(private readonly clock: SchedulerClock) {}

  readonly execute: ExecuteRun = (request, signal) =>
    new Promise<RunResult>((resolve) => {
      const startedAt = this.clock.now();
      this.calls.push({ request, startedAt, signal });
      this.running += 1;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      const finish = (outcome: RunOutcome, error?: string): void => {
        this.running -= 1;
        resolve(fakeResult(request, outcome, startedAt, this.clock.now(), error));
      };
      const timer = this.clock.setTimer(() => {
        signal.removeEventListener('abort', onAbort);
        finish('ok');
      }, this.durationFor(request));
      const onAbort = (): void => {
        if (this.ignoreAbort) return;
        this.clock.clearTimer(timer);
        finish('aborted', 'aborted');
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });

  slotsStarted(scheduleId: string): number[] {
    return this.calls.filter((call) => call.request.scheduleId === scheduleId).map((call) => call.request.slot!);
  }
}

export function fakeResult(request: RunRequest, outcome: RunOutcome, startedAt: number, finishedAt: number, error?: string): RunResult {
  return {
    runId: request.runId,
    checkId: request.checkId,
    targetId: request.targetId,
    trigger: request.trigger,
    ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId } : {}),
    ...(request.slot !== undefined ? { slot: request.slot } : {}),
    outcome,
    ...(error !== undefined ? { error } : {}),
    startedAt,
    finishedAt,
    coverage: { ok: [request.targetId], failed: [] },
    findings: [],
    cursorWrites: {},
  };
}

export function cliRequest(runId: string, timeoutMs = 60_000): RunRequest {
  return { runId, checkId: 'ports.unexpected-open', targetId: 'loopback', trigger: 'cli', options: {}, timeoutMs };
}
