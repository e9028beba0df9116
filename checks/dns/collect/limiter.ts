/**
 * Bounded concurrency plus an optional steady rate, per resolver or per HTTP pool. Hand-written because p-limit has
 * no rate and bottleneck brings a scheduler and Redis clustering we do not need; this is 30 lines.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number, ratePerSecond = 0): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const interval = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  let nextStart = 0;
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      if (interval > 0) {
        const now = Date.now();
        const start = Math.max(now, nextStart);
        nextStart = start + interval;
        if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
      }
      return await task();
    } finally {
      // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump the queue.
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight, stopping early when the signal aborts. */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, signal: AbortSignal, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal.aborted) throw signal.reason;
      const index = next;
      next += 1;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
