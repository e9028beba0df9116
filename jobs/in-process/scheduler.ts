import { InvalidConfigError, describeError } from '../../src/check-api/errors.js';
import type { Logger } from '../../src/log.js';
import type { RunRequest, RunResult } from '../../src/runs/run-result.js';
import { abortedBeforeStartResult, scheduledRequest, skippedTickResult, type SchedulerClock, type SkipReason } from '../backend.js';
import { MAX_LISTED_SKIPS, latestSlot, nextSlot, planStartup, slotsBetween, validateSchedule, type ScheduleSpec } from '../schedule.js';
import { timerAt, type LongTimer } from './long-timer.js';

export interface SchedulerDeps {
  readonly clock: SchedulerClock;
  readonly log: Logger;
  /** In [0, 1): picks each tick's jitter. */
  readonly random: () => number;
  /** The last slot the ledger accounted for (ran or skipped), from an earlier life of the process. */
  readonly lastSlot: (scheduleId: string) => number | undefined;
  /** Runs a tick; resolves once its result has been published. */
  readonly run: (request: RunRequest) => Promise<void>;
  readonly publish: (result: RunResult) => void;
}

type TickTrigger = 'schedule' | 'catchup';

interface ScheduleState {
  spec: ScheduleSpec;
  timer?: LongTimer;
  /** Between handing a tick to the pool and its result: waiting for a free run slot counts as running. */
  inFlight: boolean;
  /** queue-one: the one tick that runs when the current run ends. */
  pending?: { slot: number; trigger: TickTrigger };
}

/**
 * Turns schedules into ticks. Each tick is accounted for exactly once: run, or published as a skipped result
 * (missed while down or asleep, or overlapping a run still going). Timers are armed for the next *slot*, computed from
 * the previous slot, never from when a run ended, so a schedule keeps its grid however long its runs take.
 */
export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #states = new Map<string, ScheduleState>();
  /** Latest slot handed out per schedule id, kept after removal so a re-added schedule does not repeat a tick. */
  readonly #lastFired = new Map<string, number>();
  /** Removed schedules whose run is still going: a tick queued behind it must still be accounted for at stop. */
  readonly #retired = new Set<ScheduleState>();
  #stopped = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Validates all, then installs: new ids get their startup plan; known ids keep their grid position. */
  install(specs: readonly ScheduleSpec[]): void {
    if (this.#stopped) throw new Error('the scheduler is closed; create a new backend');
    const ids = new Set<string>();
    for (const spec of specs) {
      validateSchedule(spec);
      if (ids.has(spec.id)) throw new InvalidConfigError(`schedule id '${spec.id}' is given twice`);
      ids.add(spec.id);
    }
    for (const [id, state] of this.#states) {
      if (ids.has(id)) continue;
      state.timer?.cancel();
      this.#states.delete(id); // a run in flight still finishes and reports; a pending tick still runs after it
      if (state.inFlight) this.#retired.add(state);
    }
    for (const spec of specs) {
      const existing = this.#states.get(spec.id);
      if (existing) this.#replace(existing, spec);
      else this.#add(spec);
    }
  }

  /** Stops every timer; a tick waiting behind a running run (queue-one) is reported as never started. */
  stop(): void {
    this.#stopped = true;
    const now = this.#deps.clock.now();
    for (const state of [...this.#states.values(), ...this.#retired]) {
      state.timer?.cancel();
      if (state.pending) this.#deps.publish(abortedBeforeStartResult(scheduledRequest(state.spec, state.pending.slot, state.pending.trigger), now));
      state.pending = undefined;
    }
  }

  #add(spec: ScheduleSpec): void {
    const state: ScheduleState = { spec, inFlight: false };
    this.#states.set(spec.id, state);
    const now = this.#deps.clock.now();
    const lastKnown = this.#lastKnownSlot(spec.id);
    const plan = planStartup(spec, lastKnown, now);
    for (const slot of plan.skipped) this.#skip(spec, slot, 'missed', now);
    if (plan.skippedOverflow > 0) {
      const firstUnlisted = nextSlot(spec, plan.skipped.at(-1) ?? lastKnown ?? now);
      this.#skip(spec, firstUnlisted, 'missed', now, plan.skippedOverflow);
    }
    if (plan.skipped.length > 0 || plan.run !== undefined) {
      this.#deps.log.info({ schedule: spec.id, run: plan.run, skipped: plan.skipped.length + plan.skippedOverflow }, 'schedule caught up');
    }
    if (plan.run !== undefined) this.#tick(state, plan.run, 'catchup');
    this.#arm(state, plan.next);
  }

  #replace(state: ScheduleState, spec: ScheduleSpec): void {
    const retimed = state.spec.cron !== spec.cron || state.spec.every !== spec.every || state.spec.timezone !== spec.timezone || state.spec.jitterMs !== spec.jitterMs;
    state.spec = spec;
    if (!retimed) return;
    // A changed timing starts on its new grid from now: slots of the new grid before now were never promised.
    state.timer?.cancel();
    this.#arm(state, nextSlot(spec, Math.max(this.#deps.clock.now(), this.#lastFired.get(spec.id) ?? -Infinity)));
  }

  #arm(state: ScheduleState, slot: number): void {
    const maxJitterMs = Math.floor(state.spec.jitterMs ?? 0);
    const jitterMs = maxJitterMs > 0 ? Math.min(maxJitterMs, Math.floor(this.#deps.random() * (maxJitterMs + 1))) : 0;
    state.timer = timerAt(this.#deps.clock, slot + jitterMs, () => this.#onTimer(state, slot, jitterMs));
  }

  #onTimer(state: ScheduleState, slot: number, jitterMs: number): void {
    state.timer = undefined;
    if (this.#stopped || this.#states.get(state.spec.id) !== state) return;
    const { spec } = state;
    const now = this.#deps.clock.now();
    // A timer can fire late (a blocked event loop, a machine that slept). Slots that passed meanwhile were missed:
    // as after a restart, the latest one runs and the others are recorded as skipped, never a burst of runs.
    const latest = Math.max(slot, latestSlot(spec, now - jitterMs) ?? slot);
    if (latest > slot) this.#skipRange(spec, slot - 1, latest - 1, now);
    this.#tick(state, latest, 'schedule');
    try {
      this.#arm(state, nextSlot(spec, latest));
    } catch (error) {
      // Only a cron pattern with no future date gets here; that schedule is over, the others keep ticking.
      this.#deps.log.error({ schedule: spec.id, err: describeError(error) }, 'schedule has no next slot; it stops ticking');
    }
  }

  #tick(state: ScheduleState, slot: number, trigger: TickTrigger): void {
    this.#lastFired.set(state.spec.id, Math.max(slot, this.#lastFired.get(state.spec.id) ?? slot));
    if (!state.inFlight) {
      this.#start(state, slot, trigger);
      return;
    }
    const now = this.#deps.clock.now();
    if (state.spec.overlap === 'skip') {
      this.#skip(state.spec, slot, 'overlap', now);
      return;
    }
    // queue-one keeps the newest tick waiting (the freshest posture); the one it displaces is recorded as skipped.
    if (state.pending) this.#skip(state.spec, state.pending.slot, 'overlap', now);
    state.pending = { slot, trigger };
  }

  #start(state: ScheduleState, slot: number, trigger: TickTrigger): void {
    state.inFlight = true;
    const done = (): void => {
      state.inFlight = false;
      const pending = state.pending;
      state.pending = undefined;
      if (pending && !this.#stopped) this.#start(state, pending.slot, pending.trigger);
      else this.#retired.delete(state);
    };
    this.#deps.run(scheduledRequest(state.spec, slot, trigger)).then(done, done);
  }

  #skipRange(spec: ScheduleSpec, fromExclusive: number, toInclusive: number, now: number): void {
    const range = slotsBetween(spec, fromExclusive, toInclusive, MAX_LISTED_SKIPS);
    for (const slot of range.slots) this.#skip(spec, slot, 'missed', now);
    const overflow = range.total - range.slots.length;
    if (overflow > 0) this.#skip(spec, nextSlot(spec, range.slots.at(-1) ?? fromExclusive), 'missed', now, overflow);
  }

  #skip(spec: ScheduleSpec, slot: number, reason: SkipReason, now: number, count?: number): void {
    this.#lastFired.set(spec.id, Math.max(slot, this.#lastFired.get(spec.id) ?? slot));
    this.#deps.publish(skippedTickResult(spec, slot, reason, now, count));
  }

  #lastKnownSlot(scheduleId: string): number | undefined {
    const stored = this.#deps.lastSlot(scheduleId);
    const fired = this.#lastFired.get(scheduleId);
    if (stored === undefined) return fired;
    return fired === undefined ? stored : Math.max(stored, fired);
  }
}
