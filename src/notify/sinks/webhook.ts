import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { webhookSinkSchema } from '../config.js';
import { buildDigest, type RenderContext } from '../digest.js';
import type { AlertEvent } from '../events.js';
import { postToSink } from '../http.js';
import type { DeliveryBatch, Sink } from '../sink.js';

export const SIGNATURE_HEADER = 'x-vigil-signature';
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';
export const DELIVERY_HEADER = 'x-vigil-delivery';

/**
 * Stripe-style signature: HMAC-SHA256 over `<unix seconds>.<body>`, so a receiver can reject forged bodies and,
 * by bounding the timestamp's age, replays. The delivery id header is stable across retries for deduplication.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookBody(batch: DeliveryBatch, digest: boolean, context: RenderContext): unknown {
  if (digest) return { id: batch.key, type: 'digest', routes: batch.routes, digest: buildDigest(batch.events, context), events: batch.events.map(eventBody) };
  const event = batch.events[0]!;
  return { id: batch.key, type: 'event', routes: batch.routes, ...eventBody(event) };
}

function eventBody(event: AlertEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'finding':
      return { topic: `finding.${event.payload.event}`, outboxId: event.outboxId, runId: event.runId, event: event.payload };
    case 'run':
      return { topic: `run.${event.payload.outcome}`, outboxId: event.outboxId, runId: event.runId, run: event.payload };
    case 'repeat':
      return { topic: 'alert.repeat', outboxId: event.outboxId, route: event.route, findings: event.findings };
  }
}

export function createWebhookSink(name: string, config: z.output<typeof webhookSinkSchema>, context: RenderContext): Sink {
  const digest = config.digest ?? false;
  const send = async (key: string, payload: unknown, signal: AbortSignal) => {
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    await postToSink(
      config.url,
      body,
      { ...config.headers, [DELIVERY_HEADER]: key, [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body) },
      { timeoutMs: config.timeout, signal, what: `webhook sink ${name}` },
    );
  };
  return {
    name,
    type: 'webhook',
    digest,
    concurrency: config.concurrency,
    deliver: (batch, signal) => send(batch.key, webhookBody(batch, digest, context), signal),
    sendTest: (signal) => send(`test-${Date.now()}`, { id: 'test', type: 'test', text: 'Vigil test message: this sink is configured correctly.' }, signal),
  };
}
