import type { z } from 'zod';
import type { Severity } from '../../check-api/types.js';
import type { pagerdutySinkSchema } from '../config.js';
import { itemFor, type RenderContext } from '../digest.js';
import { alertReason, type AlertEvent } from '../events.js';
import { postToSink } from '../http.js';
import type { DeliveryBatch, Sink } from '../sink.js';

const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = { critical: 'critical', high: 'error', medium: 'warning', low: 'info', info: 'info' };

/**
 * PagerDuty Events v2. The fingerprint is the dedup_key, so a replayed trigger appends to the same incident and the
 * finding's resolve closes it. Digests make no sense for paging, so every event is its own request.
 */
export function pagerdutyEvent(routingKey: string, event: AlertEvent, context: RenderContext): Record<string, unknown> | null {
  if (event.kind !== 'finding') return null;
  const reason = alertReason(event.payload);
  const finding = event.payload.finding;
  // The fan-out sends PagerDuty a decision only for a finding it paged: a person silenced it, so the incident ends.
  if (event.payload.event.startsWith('decision_')) return { routing_key: routingKey, event_action: 'resolve', dedup_key: finding.fingerprint };
  if (reason === null) return null;
  if (reason === 'resolved' || reason === 'remediated') return { routing_key: routingKey, event_action: 'resolve', dedup_key: finding.fingerprint };
  const item = itemFor(reason, finding, context);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: finding.fingerprint,
    payload: {
      summary: `[${finding.severity}] ${finding.title}`.slice(0, 1024),
      source: finding.resourceId.slice(0, 255) || finding.targetId,
      severity: PD_SEVERITY[finding.severity],
      component: finding.checkId,
      group: finding.targetId,
      class: reason,
      custom_details: { first_step: item.remediation, location: item.location, runbook: item.runbook, fingerprint: finding.fingerprint },
    },
    links: [...(item.runbook ? [{ href: item.runbook, text: 'Runbook' }] : []), ...(item.link ? [{ href: item.link, text: 'Finding' }] : [])],
  };
}

export function createPagerDutySink(name: string, config: z.output<typeof pagerdutySinkSchema>, context: RenderContext): Sink {
  const post = (body: unknown, signal: AbortSignal) =>
    postToSink(config.url, JSON.stringify(body), {}, { timeoutMs: config.timeout, signal, what: `pagerduty sink ${name}` }).then(() => undefined);
  return {
    name,
    type: 'pagerduty',
    digest: false,
    concurrency: config.concurrency,
    deliver: async (batch: DeliveryBatch, signal) => {
      for (const event of batch.events) {
        const body = pagerdutyEvent(config.routingKey, event, context);
        if (body) await post(body, signal);
      }
    },
    sendTest: (signal) =>
      post(
        {
          routing_key: config.routingKey,
          event_action: 'trigger',
          dedup_key: `vigil-test-${Date.now()}`,
          payload: { summary: 'Vigil test event: this PagerDuty sink is configured correctly', source: 'vigil', severity: 'info' },
        },
        signal,
      ),
  };
}
