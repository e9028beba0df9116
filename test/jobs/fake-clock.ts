import type { SchedulerClock } from '../../jobs/backend.js';

/** Node's limit; asking a real setTimeout for more fires after 1 ms, so the fake refuses it to catch chunking bugs. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface FakeTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A SchedulerClock that only moves when told to. `advance` fires due timers one at a time in (due, creation) order,
 * with the clock set to each timer's due time, and lets promise chains settle after each one, so async work started by
 * a timer (a run, a result handler) happens "at" that instant.
 */
export class FakeClock implements SchedulerClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, FakeTimer>();
  /** Every delay ever passed to setTimer, for assertions about chunking. */
  readonly requestedDelays: number[] = [];
  /** Extra waits after each step, for backends whose work crosses real I/O (Redis) and so outlasts a few macrotasks. */
  readonly #settlers: (() => Promise<void>)[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): unknown {
    if (!(ms >= 0 && ms <= MAX_TIMER_MS)) throw new RangeError(`setTimer(${ms}): a real timer would misfire outside 0..${MAX_TIMER_MS} ms`);
    this.requestedDelays.push(ms);
    const id = ++this.#seq;
    this.#timers.set(id, { due: this.#now + ms, seq: id, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** `advance` also awaits `fn` after each timer (and before returning) until it resolves: "the backend is quiet". */
  addSettler(fn: () => Promise<void>): void {
    this.#settlers.push(fn);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(target: number): Promise<void> {
    if (target < this.#now) throw new RangeError(`the fake clock only moves forward (${target} < ${this.#now})`);
    await this.#settle();
    for (;;) {
      const next = this.#earliest();
      if (!next || next[1].due > target) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].due);
      next[1].fn();
      await this.#settle();
    }
    this.#now = target;
    await this.#settle();
  }

  /** Jumps without firing anything: the process was not running (used to simulate downtime between two backends). */
  jumpTo(target: number): void {
    this.#now = target;
  }

  async #settle(): Promise<void> {
    await settle();
    for (const settler of this.#settlers) {
      await settler();
      await settle();
    }
  }

  #earliest(): [number, FakeTimer] | undefined {
    let best: [number, FakeTimer] | undefined;
    for (const entry of this.#timers) {
      if (!best || entry[1].due < best[1].due || (entry[1].due === best[1].due && entry[1].seq < best[1].seq)) best = entry;
    }
    return best;
  }
}

/** Lets every queued promise callback run: a macrotask turn drains the microtask queue, including what it enqueues. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
