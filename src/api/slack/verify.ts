import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../http-util.js';

/** Slack's replay window: a request signed more than five minutes from now is refused. */
export const SLACK_REPLAY_WINDOW_S = 300;

/** The v0 signature Slack sends: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing secret. */
export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Verifies a request came from Slack (docs: api.slack.com/authentication/verifying-requests-from-slack): timestamp
 * within the replay window, then the signature in constant time over the exact bytes received.
 */
export function verifySlackRequest(secret: string, headers: IncomingHttpHeaders, rawBody: Buffer, nowMs: number): void {
  const timestamp = String(headers['x-slack-request-timestamp'] ?? '');
  const signature = String(headers['x-slack-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || signature === '') throw new ApiError(401, 'missing Slack signature headers');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_REPLAY_WINDOW_S) {
    throw new ApiError(401, 'Slack request timestamp is outside the 5-minute replay window');
  }
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) throw new ApiError(401, 'Slack signature does not match');
}
