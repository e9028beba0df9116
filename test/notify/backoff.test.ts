import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/notify/backoff.js';
import { classify } from '../../src/notify/http.js';
import { SinkRateLimitedError, SinkRejectedError, parseRetryAfter } from '../../src/notify/sink.js';
import { SinkUnavailableError } from '../../src/check-api/errors.js';

describe('retry timing', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 1000, 60_000, low))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 1000, 60_000, high))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(30, 1000, 60_000, high)).toBe(60_000);
    expect(backoffDelay(30, 1000, 60_000, low)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('classifies answers by what happens next', () => {
    const answer = (status: number, headers: Record<string, string> = {}) => () => classify({ status, body: '', headers: new Headers(headers) }, 'sink');
    expect(answer(202)()).toMatchObject({ status: 202 });
    expect(answer(429, { 'retry-after': '7' })).toThrow(SinkRateLimitedError);
    try {
      answer(429, { 'retry-after': '7' })();
    } catch (error) {
      expect((error as SinkRateLimitedError).retryAfterMs).toBe(7000);
    }
    expect(answer(429)).toThrow(SinkRateLimitedError);
    expect(answer(503, { 'retry-after': '3' })).toThrow(SinkRateLimitedError);
    expect(answer(503)).toThrow(SinkUnavailableError);
    expect(answer(500)).toThrow(SinkUnavailableError);
    expect(answer(404)).toThrow(SinkRejectedError);
    expect(answer(400)).toThrow(SinkRejectedError);
  });
});
