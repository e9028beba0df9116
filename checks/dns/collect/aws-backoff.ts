/** Errors AWS returns when a caller goes faster than its token bucket (Route 53: burst 50, refill ~5-10/s). */
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'PriorRequestNotComplete', 'RequestLimitExceeded', 'TooManyRequestsException']);

export interface BackoffOptions {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { attempts: 8, baseMs: 200, maxMs: 10_000 };

export function isThrottling(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string } | undefined)?.name;
  return name !== undefined && THROTTLING.has(name);
}

/**
 * Retries a throttled call with full-jitter exponential backoff. The SDK retries a few times itself; a zone sweep of a
 * 100k-record account outlasts that budget, so the collector keeps going here instead of failing the zone.
 */
export async function withBackoff<T>(call: () => Promise<T>, signal: AbortSignal, options: BackoffOptions = DEFAULT_BACKOFF): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= options.attempts) throw error;
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Names the failure by what happens next: refused scopes need permissions, others are retried on the next run. */
export function collectorErrorOf(error: unknown): { name: string; message: string } {
  const name = (error as { name?: string } | undefined)?.name ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) return { name: 'CollectorAccessDenied', message: `${name}: ${message}` };
  if (isThrottling(error)) return { name: 'CollectorUnreachable', message: `still throttled after retries: ${message}` };
  return { name: 'CollectorUnreachable', message: `${name}: ${message}` };
}
