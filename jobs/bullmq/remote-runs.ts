import type { Logger } from '../../src/log.js';
import type { RunRequest, RunResult } from '../../src/runs/run-result.js';
import { abortedBeforeStartResult, type SchedulerClock } from '../backend.js';
import { timerAt, type LongTimer } from '../in-process/long-timer.js';
import { ABORT_SETTLE_MS } from '../in-process/run-pool.js';

/** What RemoteRuns needs from the queue: put a run on it, take a waiting one back off, ask workers to abort some. */
export interface RunQueuePort {
  add(request: RunRequest): Promise<void>;
  /** True when the run was still waiting and is now gone from the queue (so no worker will ever start it). */
  withdraw(runId: string): Promise<boolean>;
  abort(runIds: string[], reason: string): Promise<void>;
}

interface Waiter {
  readonly request: RunRequest;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

/** Runs ids delivered in this life are remembered this long (a count), so a late duplicate is dropped cheaply. */
const REMEMBERED_RESULTS = 50_000;

/**
 * The daemon's side of runs that execute on workers: every request handed to the queue has a waiter until its result
 * comes back, so the scheduler knows a schedule's run is still going (overlap) and close() knows what is outstanding.
 * A result is published once per run id in this process; the ledger's UNIQUE run id covers restarts.
 */
export class RemoteRuns {
  readonly #waiting = new Map<string, Waiter>();
  readonly #delivered = new Set<string>();
  readonly #port: RunQueuePort;
  readonly #publish: (result: RunResult) => void;
  readonly #clock: SchedulerClock;
  readonly #log: Logger;
  #closed = false;

  constructor(deps: { port: RunQueuePort; publish: (result: RunResult) => void; clock: SchedulerClock; log: Logger }) {
    this.#port = deps.port;
    this.#publish = deps.publish;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Run ids handed to the queue whose result has not come back yet. */
  outstanding(): string[] {
    return [...this.#waiting.keys()];
  }

  /**
   * Hands a request to the queue and resolves `accepted` once Redis has it; `finished` resolves when its result has
   * been published. A queue that cannot be reached rejects `accepted`; the caller decides what that means.
   */
  submit(request: RunRequest): { accepted: Promise<void>; finished: Promise<void> } {
    const existing = this.#waiting.get(request.runId);
    if (existing) return { accepted: Promise.resolve(), finished: existing.done };
    if (this.#delivered.has(request.runId)) return { accepted: Promise.resolve(), finished: Promise.resolve() };
    if (this.#closed) {
      this.#deliver(abortedBeforeStartResult(request, this.#clock.now()));
      return { accepted: Promise.resolve(), finished: Promise.resolve() };
    }
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const waiter: Waiter = { request, done, resolve };
    this.#waiting.set(request.runId, waiter);
    const accepted = this.#port.add(request).catch((error: unknown) => {
      this.#waiting.delete(request.runId);
      resolve();
      throw error;
    });
    return { accepted, finished: done };
  }

  /** A result from a worker (or one synthesised for a run that failed on the queue). */
  deliver(result: RunResult): void {
    this.#deliver(result);
  }

  /** The request a run id was submitted with, while its result is outstanding. */
  requestFor(runId: string): RunRequest | undefined {
    return this.#waiting.get(runId)?.request;
  }

  /**
   * Withdraws what no worker started (reported as never started), waits `graceMs` for running runs, asks workers to
   * abort the rest, and after ABORT_SETTLE_MS reports what still has not answered as aborted, so every submitted run
   * has exactly one result by the time this resolves.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    for (const runId of this.outstanding()) {
      let withdrawn = false;
      try {
        withdrawn = await this.#port.withdraw(runId);
      } catch (error) {
        this.#log.warn({ run: runId, err: error }, 'could not withdraw a waiting run from the queue');
      }
      const waiter = this.#waiting.get(runId);
      if (withdrawn && waiter) this.#deliver(abortedBeforeStartResult(waiter.request, this.#clock.now()));
    }
    if (await this.#allFinishedWithin(graceMs)) return;
    const running = this.outstanding();
    this.#log.warn({ runs: running, graceMs }, 'asking workers to abort runs still going after the shutdown grace period');
    try {
      await this.#port.abort(running, 'Vigil daemon is shutting down');
    } catch (error) {
      this.#log.error({ err: error }, 'could not reach workers to abort runs');
    }
    if (await this.#allFinishedWithin(ABORT_SETTLE_MS)) return;
    for (const runId of this.outstanding()) {
      const waiter = this.#waiting.get(runId)!;
      this.#log.error({ run: runId }, 'no worker reported this run after it was aborted; recording it as aborted');
      this.#deliver({ ...abortedBeforeStartResult(waiter.request, this.#clock.now()), error: 'no worker reported the run after the daemon asked it to abort' });
    }
  }

  #deliver(result: RunResult): void {
    if (this.#delivered.has(result.runId)) {
      this.#log.warn({ run: result.runId, outcome: result.outcome }, 'second result for a run already delivered; dropped');
      return;
    }
    this.#delivered.add(result.runId);
    if (this.#delivered.size > REMEMBERED_RESULTS) this.#delivered.delete(this.#delivered.values().next().value!);
    this.#publish(result);
    const waiter = this.#waiting.get(result.runId);
    this.#waiting.delete(result.runId);
    waiter?.resolve();
  }

  async #allFinishedWithin(ms: number): Promise<boolean> {
    if (this.#waiting.size === 0) return true;
    let timer: LongTimer | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = timerAt(this.#clock, this.#clock.now() + ms, resolve)));
    await Promise.race([Promise.all([...this.#waiting.values()].map((w) => w.done)), timeUp]);
    timer?.cancel();
    return this.#waiting.size === 0;
  }
}
