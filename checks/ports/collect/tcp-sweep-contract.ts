/**
 * What both sweep engines (native addon, net.Socket fallback) take and give back, so the public wrapper in
 * tcp-sweep.ts can treat them alike and the tests can hold them to one behaviour.
 */
import { RunAbortedError } from '../../../src/check-api/errors.js';

/** Per-probe result codes; the same numbers as `enum probe_state` in native/sweep.h. */
export const ProbeCode = {
  unprobed: 0,
  open: 1,
  closed: 2,
  filtered: 3,
  unreachable: 4,
  /** Internal: a local resource error (no ephemeral port, no buffers); retried, then reported as filtered. */
  localError: 5,
} as const;

/** A validated, normalized request: ports sorted and unique, retry parameters derived. */
export interface EngineRequest {
  readonly addresses: readonly string[];
  readonly ports: Uint16Array;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryConcurrency: number;
  readonly retryTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface EngineStats {
  /** connect attempts, retries included */
  readonly probes: number;
  /** probes sent again by retry passes */
  readonly retried: number;
  /** loopback self-connect phantoms dropped (reported as closed) */
  readonly selfConnects: number;
  /** local resource errors seen (EADDRNOTAVAIL, EMFILE...), each retried */
  readonly localErrors: number;
  /** concurrency actually used (the native engine clamps to the descriptors it may hold) */
  readonly concurrency: number;
}

/** `states[a * ports.length + p]` is the ProbeCode of address a, port index p. */
export interface EngineOutcome {
  readonly states: Uint8Array;
  readonly stats: EngineStats;
}

/**
 * The retry pass re-probes timeouts slower and with a longer wait, because a timeout on a host that answers RSTs
 * usually means the scanner was short of CPU (research: C=500/300 ms missed a port in 1 of 3 contended runs; a
 * pass at C=50/900 ms recovered it 3 of 3 times). Hence a tenth of the concurrency and three times the timeout.
 */
export function retryPlan(concurrency: number, timeoutMs: number): { retryConcurrency: number; retryTimeoutMs: number } {
  return {
    retryConcurrency: Math.max(1, Math.ceil(concurrency / 10)),
    retryTimeoutMs: Math.min(MAX_TIMEOUT_MS, timeoutMs * 3),
  };
}

export const MAX_TIMEOUT_MS = 600_000;

/** Named AbortError with code ABORT_ERR, like Node's own aborted operations; `cause` is the signal's reason. */
export class SweepAbortedError extends RunAbortedError {
  readonly code = 'ABORT_ERR';
  constructor(options?: { cause?: unknown }) {
    super('TCP sweep aborted', options);
    this.name = 'AbortError';
  }
}
