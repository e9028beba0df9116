/**
 * Errors are named by what happens next (BullMQ's lesson): retry later, never retry, or record and move on.
 * Each carries `retryable` so the scheduler and dispatcher need no instanceof chains.
 */
export class VigilError extends Error {
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration or CLI input: never retry; exit 2 before touching the database. */
export class InvalidConfigError extends VigilError {}

/** The ledger file is corrupt, read-only, locked or not SQLite. */
export class StoreError extends VigilError {}

export class UnknownCheckError extends InvalidConfigError {}

/** A collector could not read a scope because it was refused: the run is partial for that scope. */
export class CollectorAccessDenied extends VigilError {}

/** A collector could not reach a scope (timeout, DNS failure, connection refused): partial for that scope. */
export class CollectorUnreachable extends VigilError {
  override readonly retryable = true;
}

export class CheckTimeoutError extends VigilError {
  override readonly retryable = true;
}

export class RunAbortedError extends VigilError {}

/** A sink or ticket system did not accept a delivery; it stays in the outbox and is retried. */
export class SinkUnavailableError extends VigilError {
  override readonly retryable = true;
}

/** Wraps any exception a check throws with where it happened, the way ESLint adds rule id and file:line. */
export class CheckExecutionError extends VigilError {
  constructor(
    readonly checkId: string,
    readonly targetId: string,
    readonly phase: 'options' | 'collect' | 'evaluate' | 'remediate',
    cause: unknown,
  ) {
    super(`${checkId} [${targetId}] failed during ${phase}: ${describeError(cause)}`, { cause });
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
