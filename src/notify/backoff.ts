/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed and half random, so retries from many
 * rows spread out (no thundering herd after an outage) yet never come back sooner than half the intended wait.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
