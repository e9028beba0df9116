import { describeError } from '../../src/check-api/errors.js';
import type { Logger } from '../../src/log.js';
import type { RunResult } from '../../src/runs/run-result.js';

export type ResultHandler = (result: RunResult) => Promise<void> | void;

/**
 * Hands results to the handlers one at a time, in the order they were published, each handler awaited before the
 * next result. A handler that throws is logged and the feed carries on: a ledger hiccup must not stop the scheduler.
 */
export class ResultFeed {
  readonly #handlers: ResultHandler[] = [];
  readonly #log: Logger;
  #tail: Promise<void> = Promise.resolve();

  constructor(log: Logger) {
    this.#log = log;
  }

  subscribe(handler: ResultHandler): void {
    this.#handlers.push(handler);
  }

  publish(result: RunResult): void {
    this.#tail = this.#tail.then(() => this.#deliver(result));
  }

  /** Resolves once everything published so far (and anything published meanwhile) has been delivered. */
  async drained(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.#tail) {
      seen = this.#tail;
      await seen;
    }
  }

  async #deliver(result: RunResult): Promise<void> {
    if (this.#handlers.length === 0) this.#log.warn({ run: result.runId }, 'run result published with no result handler');
    for (const handler of this.#handlers) {
      try {
        await handler(result);
      } catch (error) {
        this.#log.error({ run: result.runId, outcome: result.outcome, err: describeError(error) }, 'result handler failed');
      }
    }
  }
}
