/**
 * Requests per client per fixed window. Hand-written because it is a dozen lines over a Map and the API is a
 * node:http server, not a framework with a limiter plugin. The map is bounded: a flood from many addresses cannot
 * grow it past MAX_CLIENTS (the oldest windows are dropped first).
 */
const MAX_CLIENTS = 10_000;

export class FixedWindowLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request; returns 0 when allowed, else the ms until the client may try again. */
  take(client: string): number {
    const now = this.now();
    let window = this.#windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      this.#windows.delete(client);
      window = { start: now, count: 0 };
      this.#windows.set(client, window);
      if (this.#windows.size > MAX_CLIENTS) this.#windows.delete(this.#windows.keys().next().value!);
    }
    window.count += 1;
    return window.count > this.max ? Math.max(1, window.start + this.windowMs - now) : 0;
  }
}
