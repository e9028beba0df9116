import { SinkUnavailableError, VigilError } from '../check-api/errors.js';
import type { AlertEvent } from './events.js';

/**
 * One delivery attempt to one sink: a digest (all of a run's deliveries for this sink) or a single event. `key` is
 * stable across retries and restarts, so a sink or receiver that can dedupe (webhook idempotency header, PagerDuty
 * dedup_key, Jira comment markers) sees a replay as the same message.
 */
export interface DeliveryBatch {
  readonly sink: string;
  readonly key: string;
  readonly events: readonly AlertEvent[];
  /** Routes that selected these events, for repeat reminders and titles. */
  readonly routes: readonly string[];
}

export interface Sink {
  readonly name: string;
  readonly type: 'slack' | 'teams' | 'webhook' | 'email' | 'pagerduty' | 'jira';
  /** A digest sink gets one batch per run; an event sink gets one batch per event, in outbox order per finding. */
  readonly digest: boolean;
  readonly concurrency: number;
  deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<void>;
  /** A test message for `audit alerts test <sink>`; resolves when the sink accepted it. */
  sendTest(signal: AbortSignal): Promise<void>;
  /** Periodic work not driven by events (Jira: verify that tickets people closed are really fixed). */
  sweep?(signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** The sink said "not now" (429, or a 503 with Retry-After): nothing may be sent to it before `retryAfterMs`. */
export class SinkRateLimitedError extends SinkUnavailableError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** This delivery (not the whole sink) must wait, e.g. for Jira's search to catch up with a create whose answer was lost. */
export class SinkDeferredError extends SinkUnavailableError {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** The sink refused the message itself (4xx other than 429): retrying the same bytes cannot help, so it is a dead letter. */
export class SinkRejectedError extends VigilError {}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now; absent or unparsable means unknown. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
