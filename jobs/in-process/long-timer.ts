import type { SchedulerClock } from '../backend.js';

/** setTimeout fires after 1 ms when asked for more than this (a signed 32-bit count of ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/**
 * Calls `fn` once the clock reaches `dueMs`. Long delays are slept in chunks of at most MAX_TIMER_MS, and the clock
 * is read again at every wake-up, so a monthly cron does not fire after 1 ms and a timer that woke early (a wall
 * clock stepped back, Node's ±1 ms) sleeps again instead of firing before its time.
 */
export function timerAt(clock: SchedulerClock, dueMs: number, fn: () => void): LongTimer {
  let handle: unknown;
  let cancelled = false;
  const sleep = (): void => {
    handle = clock.setTimer(wake, Math.min(Math.max(0, dueMs - clock.now()), MAX_TIMER_MS));
  };
  const wake = (): void => {
    handle = undefined;
    if (cancelled) return;
    if (clock.now() < dueMs) sleep();
    else fn();
  };
  sleep();
  return {
    cancel() {
      cancelled = true;
      if (handle !== undefined) clock.clearTimer(handle);
      handle = undefined;
    },
  };
}
