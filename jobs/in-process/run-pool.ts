import { RunAbortedError, describeError } from '../../src/check-api/errors.js';
import type { Logger } from '../../src/log.js';
import type { RunRequest, RunResult } from '../../src/runs/run-result.js';
import { abortedBeforeStartResult, type ExecuteRun, type SchedulerClock } from '../backend.js';
import { timerAt, type LongTimer } from './long-timer.js';

/** After the grace period runs are aborted; a run that ignores its signal this much longer is reported for it. */
export const ABORT_SETTLE_MS = 5_000;

export interface RunPoolDeps {
  readonly execute: ExecuteRun;
  readonly clock: SchedulerClock;
  readonly log: Logger;
  readonly maxConcurrent: number;
  readonly publish: (result: RunResult) => void;
}

interface Entry {
  readonly request: RunRequest;
  /** Resolves once this run's result has been published. */
  readonly finished: Promise<void>;
  readonly finish: () => void;
  controller?: AbortController;
  reported: boolean;
}

/**
 * Runs requests with at most `maxConcurrent` at a time, the rest waiting first in, first out. Each run has its own
 * AbortController, so shutdown can abort what is still running after the grace period, and every accepted request
 * yields exactly one published result: finished, crashed, aborted, or never started.
 */
export class RunPool {
  readonly #deps: RunPoolDeps;
  readonly #waiting: Entry[] = [];
  readonly #running = new Map<string, Entry>();
  #closed = false;

  constructor(deps: RunPoolDeps) {
    this.#deps = deps;
  }

  /** Accepts a request; resolves when its result has been published. A run id already waiting or running is not run twice. */
  submit(request: RunRequest): Promise<void> {
    const existing = this.#running.get(request.runId) ?? this.#waiting.find((entry) => entry.request.runId === request.runId);
    if (existing) {
      this.#deps.log.debug({ run: request.runId }, 'run already queued or running; not starting it twice');
      return existing.finished;
    }
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const entry: Entry = { request, finished, finish, reported: false };
    if (this.#closed) this.#report(entry, abortedBeforeStartResult(request, this.#deps.clock.now()));
    else {
      this.#waiting.push(entry);
      this.#pump();
    }
    return finished;
  }

  /**
   * Starts nothing new, reports the waiting requests as never started, gives running runs `graceMs` to finish, then
   * aborts them. Resolves when every accepted request has its result published.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    const now = this.#deps.clock.now();
    for (const entry of this.#waiting.splice(0)) this.#report(entry, abortedBeforeStartResult(entry.request, now));
    if (await this.#allFinishedWithin(graceMs)) return;
    this.#deps.log.warn({ runs: [...this.#running.keys()], graceMs }, 'aborting runs still going after the shutdown grace period');
    for (const entry of this.#running.values()) entry.controller?.abort(new RunAbortedError('run aborted: Vigil is shutting down'));
    if (await this.#allFinishedWithin(ABORT_SETTLE_MS)) return;
    for (const entry of [...this.#running.values()]) {
      this.#deps.log.error({ run: entry.request.runId }, 'run ignored its abort signal; reporting it as aborted');
      this.#report(entry, { ...abortedBeforeStartResult(entry.request, this.#deps.clock.now()), error: 'run did not stop after it was aborted' });
    }
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#deps.maxConcurrent && this.#waiting.length > 0) {
      this.#start(this.#waiting.shift()!);
    }
  }

  #start(entry: Entry): void {
    const controller = new AbortController();
    entry.controller = controller;
    this.#running.set(entry.request.runId, entry);
    const startedAt = this.#deps.clock.now();
    // Deferred by a microtask so an execute that throws synchronously becomes a rejected promise like any other.
    Promise.resolve()
      .then(() => this.#deps.execute(entry.request, controller.signal))
      .then(
        (result) => this.#report(entry, result),
        (error: unknown) => this.#report(entry, this.#crashResult(entry.request, error, controller.signal.aborted, startedAt)),
      );
  }

  #report(entry: Entry, result: RunResult): void {
    if (entry.reported) {
      this.#deps.log.warn({ run: entry.request.runId, outcome: result.outcome }, 'late result of a run already reported; dropped');
      return;
    }
    entry.reported = true;
    this.#running.delete(entry.request.runId);
    this.#deps.publish(result);
    entry.finish();
    this.#pump();
  }

  /** execute is not supposed to reject (the runner turns failures into outcomes); if it does, the run still counts. */
  #crashResult(request: RunRequest, error: unknown, aborted: boolean, startedAt: number): RunResult {
    this.#deps.log.error({ run: request.runId, err: describeError(error) }, 'execute rejected instead of returning a result');
    return {
      ...abortedBeforeStartResult(request, startedAt),
      outcome: aborted ? 'aborted' : 'failed',
      error: describeError(error),
      finishedAt: this.#deps.clock.now(),
    };
  }

  /** True when every running run finished within `ms` (timed on the scheduler clock, so tests can fake it). */
  async #allFinishedWithin(ms: number): Promise<boolean> {
    if (this.#running.size === 0) return true;
    let timer: LongTimer | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = timerAt(this.#deps.clock, this.#deps.clock.now() + ms, resolve)));
    await Promise.race([Promise.all([...this.#running.values()].map((entry) => entry.finished)), timeUp]);
    timer?.cancel();
    return this.#running.size === 0;
  }
}
