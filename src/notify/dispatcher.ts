import { SinkUnavailableError, describeError } from '../check-api/errors.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { backoffDelay } from './backoff.js';
import {
  dueEvents,
  dueGroups,
  gateSink,
  markDeliveriesDelivered,
  markDeliveriesFailed,
  nextDueAt,
  sinkBlockedUntil,
  type DueDelivery,
} from './delivery-store.js';
import { fanOut, type FanOutPlan } from './fan-out.js';
import { parseOutboxRow, type AlertEvent } from './events.js';
import { sweepRepeats } from './repeat.js';
import type { RoutedRoute } from './routing.js';
import { SinkDeferredError, SinkRateLimitedError, SinkRejectedError, type Sink } from './sink.js';

export interface DispatcherOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly pollIntervalMs: number;
  readonly repeatSweepMs: number;
  readonly routes: readonly RoutedRoute[];
  readonly plan: FanOutPlan;
  readonly now?: () => number;
  readonly random?: () => number;
}

interface InFlight {
  readonly deliveries: readonly DueDelivery[];
  readonly promise: Promise<void>;
}

/**
 * Delivers the outbox: fans new rows out to sinks, sends due deliveries (a run's digest per digest sink, events one by
 * one and in order per finding for event sinks), and records the outcome only after the sink answered. A sink that
 * is down delays its deliveries with backoff; one that says 429 is not called again before Retry-After, even across
 * restarts; after maxAttempts a delivery is a dead letter for `audit outbox`. A crash at any point leaves rows
 * pending, so they are sent again: delivery is at least once, with stable keys for the sinks that can dedupe.
 */
export class OutboxDispatcher {
  private readonly inFlight = new Map<string, Set<InFlight>>();
  private readonly sweeps = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private abandoned = false;
  private ticking = false;
  private retick = false;
  private lastRepeatSweep = 0;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly sinks: ReadonlyMap<string, Sink>,
    private readonly options: DispatcherOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? Date.now;
    for (const name of sinks.keys()) this.inFlight.set(name, new Set());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for deliveries in flight (bounded by their sinks' timeouts); their outcomes are recorded. */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    const pending = [...this.inFlight.values()].flatMap((set) => [...set].map((flight) => flight.promise));
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise<void>((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    if (timeout) clearTimeout(timeout);
    this.controller.abort();
    await Promise.allSettled([...this.sinks.values()].map((sink) => sink.close?.()));
  }

  /**
   * Drops the dispatcher on the floor as a crash would: nothing more is written, in-flight outcomes are forgotten.
   * Tests use it to prove that a restart loses nothing.
   */
  abandon(): void {
    this.abandoned = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  /** One pass: fan out, start what is due, wait for it; true when it did anything. Tests and the bench drive this. */
  async runOnce(): Promise<boolean> {
    const started = this.pump();
    const flights = [...this.inFlight.values()].flatMap((set) => [...set].map((flight) => flight.promise));
    await Promise.allSettled([...flights, ...this.sweeps.values()]);
    return started > 0;
  }

  /** Runs passes until nothing is due now (items waiting for a later retry stay pending). */
  async drain(maxPasses = 1_000_000): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass += 1) if (!(await this.runOnce())) return;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (delayMs <= 0) {
      // setImmediate, not setTimeout(0): a finished delivery starts the next one without the timers' 1 ms clamp.
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.tick();
      });
      return;
    }
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref?.();
  }

  private tick(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.retick = true;
      return;
    }
    this.ticking = true;
    try {
      this.pump();
    } catch (error) {
      this.log.error({ err: error }, 'outbox dispatcher pass failed; retrying after the poll interval');
    } finally {
      this.ticking = false;
    }
    if (this.retick) {
      this.retick = false;
      this.schedule(0);
      return;
    }
    const next = nextDueAt(this.db);
    const wait = next === null ? this.options.pollIntervalMs : Math.min(this.options.pollIntervalMs, Math.max(0, next - this.now()));
    this.schedule(wait);
  }

  /** Starts every due delivery the sinks have room for; returns how many batches it started. */
  private pump(): number {
    if (this.abandoned) return 0;
    const now = this.now();
    // Fan out everything committed so far before sending: a run's rows must all be planned before its digest goes,
    // or a large run would be split into several digests under one key.
    while (fanOut(this.db, this.options.plan, now) > 0);
    const sweepDue = now - this.lastRepeatSweep >= this.options.repeatSweepMs;
    if (sweepDue) {
      this.lastRepeatSweep = now;
      if (sweepRepeats(this.db, this.options.routes, now) > 0) fanOut(this.db, this.options.plan, now);
    }
    let started = 0;
    for (const [name, sink] of this.sinks) {
      const flights = this.inFlight.get(name)!;
      const room = sink.concurrency - flights.size;
      if (room <= 0 || this.sweeps.has(name) || sinkBlockedUntil(this.db, name) > now) continue;
      const batches = sink.digest
        ? dueGroups(this.db, name, now, room, new Set([...flights].map((flight) => flight.deliveries[0]!.groupKey)))
        : dueEvents(
            this.db,
            name,
            now,
            room,
            new Set([...flights].flatMap((flight) => flight.deliveries.map((d) => d.orderKey).filter((key): key is string => key !== null))),
            new Set([...flights].flatMap((flight) => flight.deliveries.map((d) => d.id))),
          ).map((delivery) => [delivery]);
      for (const deliveries of batches) {
        if (deliveries.length === 0) continue;
        started += 1;
        const flight: InFlight = { deliveries, promise: this.deliver(sink, deliveries).finally(() => flights.delete(flight)) };
        flights.add(flight);
      }
    }
    // After deliveries, so a sink busy with its backlog is never starved by its own sweep.
    if (sweepDue) this.startSweeps();
    return started;
  }

  private startSweeps(): void {
    for (const sink of this.sinks.values()) {
      // A sweep and deliveries never overlap on one sink: both may write to the same Jira issue.
      if (!sink.sweep || this.sweeps.has(sink.name) || this.inFlight.get(sink.name)!.size > 0 || sinkBlockedUntil(this.db, sink.name) > this.now()) continue;
      const sweep = sink
        .sweep(this.controller.signal)
        .catch((error: unknown) => {
          if (error instanceof SinkRateLimitedError && !this.abandoned) gateSink(this.db, sink.name, this.now() + error.retryAfterMs, describeError(error));
          this.log.warn({ sink: sink.name, error: describeError(error) }, 'sink sweep failed; next sweep retries');
        })
        .finally(() => this.sweeps.delete(sink.name));
      this.sweeps.set(sink.name, sweep);
    }
  }

  private async deliver(sink: Sink, deliveries: readonly DueDelivery[]): Promise<void> {
    let events: AlertEvent[];
    try {
      events = deliveries.map((delivery) => parseOutboxRow({ id: delivery.outboxId, topic: delivery.topic, runId: delivery.runId, eventId: delivery.eventId, payload: delivery.payload }));
    } catch (error) {
      if (!this.abandoned) this.recordFailure(sink, deliveries, new SinkRejectedError(`cannot read outbox payload: ${describeError(error)}`));
      return;
    }
    const batch = { sink: sink.name, key: `${sink.name}:${deliveries[0]!.groupKey}`, events, routes: [...new Set(deliveries.map((d) => d.route).filter((r): r is string => r !== null))] };
    try {
      await sink.deliver(batch, this.controller.signal);
    } catch (error) {
      if (!this.abandoned) this.recordFailure(sink, deliveries, error);
      return;
    } finally {
      if (this.running && !this.abandoned) this.schedule(0);
    }
    if (this.abandoned) return;
    markDeliveriesDelivered(this.db, deliveries, this.now());
    this.log.debug({ sink: sink.name, key: batch.key, events: deliveries.length }, 'alert delivered');
  }

  private recordFailure(sink: Sink, deliveries: readonly DueDelivery[], error: unknown): void {
    const now = this.now();
    const message = describeError(error);
    const attempts = Math.max(...deliveries.map((d) => d.attempts)) + 1;
    if (error instanceof SinkRateLimitedError) {
      const until = now + error.retryAfterMs;
      gateSink(this.db, sink.name, until, message);
      markDeliveriesFailed(this.db, deliveries, { kind: 'throttled', error: message, nextAttemptAt: until }, now);
      this.log.warn({ sink: sink.name, retryAfterMs: error.retryAfterMs }, 'sink rate-limited us; holding its deliveries until Retry-After');
      return;
    }
    if (error instanceof SinkDeferredError) {
      markDeliveriesFailed(this.db, deliveries, { kind: 'throttled', error: message, nextAttemptAt: now + error.delayMs }, now);
      this.log.info({ sink: sink.name, delayMs: error.delayMs, reason: message }, 'delivery deferred');
      return;
    }
    const retryable = error instanceof SinkUnavailableError || !(error instanceof SinkRejectedError);
    const dead = !retryable || attempts >= this.options.maxAttempts;
    const nextAttemptAt = now + backoffDelay(attempts, this.options.baseDelayMs, this.options.maxDelayMs, this.options.random);
    markDeliveriesFailed(this.db, deliveries, { kind: dead ? 'dead' : 'retry', error: message, nextAttemptAt }, now);
    this.log[dead ? 'error' : 'warn']({ sink: sink.name, attempts, error: message, dead }, dead ? 'delivery moved to dead letters' : 'delivery failed; will retry');
  }
}
