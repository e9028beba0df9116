import { SinkUnavailableError, describeError } from '../check-api/errors.js';
import { SinkRateLimitedError, SinkRejectedError, parseRetryAfter } from './sink.js';

export interface PostResult {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

/** When a 429 carries no Retry-After we still wait this long, rather than hammering a sink that asked us to stop. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;

/**
 * POSTs a body and classifies the answer the way the dispatcher needs it: 2xx accepted; 429 (and 503 with
 * Retry-After) rate-limited; other 5xx and network failures retryable; other 4xx rejected. Uses Node's built-in fetch
 * (undici): the sinks need nothing a client library adds, and each library would bring its own retry policy that
 * would fight the outbox's.
 */
export async function postToSink(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal; readonly what: string },
): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
      redirect: 'error',
    });
  } catch (error) {
    throw new SinkUnavailableError(`${options.what}: ${describeCause(error)}`, { cause: error });
  }
  const text = await response.text().catch(() => '');
  return classify({ status: response.status, body: text, headers: response.headers }, options.what);
}

export function classify(result: PostResult, what: string): PostResult {
  const { status } = result;
  if (status >= 200 && status < 300) return result;
  const retryAfter = parseRetryAfter(result.headers.get('retry-after'));
  const detail = `${what}: HTTP ${status}${result.body ? ` ${result.body.slice(0, 200)}` : ''}`;
  if (status === 429) throw new SinkRateLimitedError(detail, retryAfter ?? DEFAULT_RATE_LIMIT_WAIT_MS);
  if (status === 503 && retryAfter !== undefined) throw new SinkRateLimitedError(detail, retryAfter);
  if (status >= 500 || status === 408) throw new SinkUnavailableError(detail);
  throw new SinkRejectedError(detail);
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const base = describeError(error);
  return cause ? `${base} (${describeError(cause)})` : base;
}
