import { z } from 'zod';
import { SEVERITIES, severityRank, type Severity } from '../check-api/types.js';
import type { OutboxRow } from '../store/outbox.js';

/**
 * The outbox payloads written by src/store/record-run.ts (`appendEvent`, `runPayload`), checked at the edge: a row
 * that does not parse is a dead letter with a clear error, never a crash of the dispatcher.
 */
const locationSchema = z
  .object({
    file: z.string().optional(),
    line: z.number().optional(),
    commit: z.string().optional(),
    region: z.string().optional(),
    url: z.string().optional(),
    host: z.string().optional(),
    port: z.number().optional(),
  })
  .nullable();

export const alertFindingSchema = z.object({
  fingerprint: z.string().min(1),
  checkId: z.string().min(1),
  resourceId: z.string(),
  key: z.string(),
  scope: z.string(),
  targetId: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(['new', 'open', 'resolved', 'reopened']),
  evidence: z.record(z.string(), z.unknown()),
  location: locationSchema,
  remediation: z.string().nullable(),
  tags: z.array(z.string()),
  decision: z.enum(['false_positive', 'accepted', 'muted']).nullable(),
  firstSeen: z.number(),
  lastSeen: z.number(),
});

export const findingEventPayloadSchema = z.object({
  event: z.string().min(1),
  at: z.number(),
  actor: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  fromStatus: z.string().nullable(),
  finding: alertFindingSchema,
});

export const runProblemPayloadSchema = z.object({
  runId: z.string(),
  checkId: z.string(),
  targetId: z.string(),
  outcome: z.enum(['partial', 'failed', 'timeout']),
  error: z.string().nullable(),
  failedScopes: z.array(z.object({ scope: z.string(), error: z.object({ name: z.string(), message: z.string() }) })),
  startedAt: z.number(),
  finishedAt: z.number(),
});

/** Written by the dispatcher itself: open findings a route reminds about again after its repeat interval. */
export const repeatPayloadSchema = z.object({
  route: z.string(),
  findings: z.array(alertFindingSchema),
});

export type AlertFinding = z.output<typeof alertFindingSchema>;
export type FindingEventPayload = z.output<typeof findingEventPayloadSchema>;
export type RunProblemPayload = z.output<typeof runProblemPayloadSchema>;

export type AlertEvent =
  | { readonly kind: 'finding'; readonly outboxId: number; readonly runId: string | null; readonly eventId: number | null; readonly payload: FindingEventPayload }
  | { readonly kind: 'run'; readonly outboxId: number; readonly runId: string; readonly payload: RunProblemPayload }
  | { readonly kind: 'repeat'; readonly outboxId: number; readonly route: string; readonly findings: readonly AlertFinding[] };

export const REPEAT_TOPIC = 'alert.repeat';

export function parseOutboxRow(row: Pick<OutboxRow, 'id' | 'topic' | 'runId' | 'eventId' | 'payload'>): AlertEvent {
  if (row.topic.startsWith('finding.')) {
    return { kind: 'finding', outboxId: row.id, runId: row.runId, eventId: row.eventId, payload: findingEventPayloadSchema.parse(row.payload) };
  }
  if (row.topic.startsWith('run.')) {
    const payload = runProblemPayloadSchema.parse(row.payload);
    return { kind: 'run', outboxId: row.id, runId: payload.runId, payload };
  }
  if (row.topic === REPEAT_TOPIC) {
    const payload = repeatPayloadSchema.parse(row.payload);
    return { kind: 'repeat', outboxId: row.id, route: payload.route, findings: payload.findings };
  }
  throw new Error(`unknown outbox topic '${row.topic}'`);
}

/** Why a finding event is worth a person's attention, or null when it is not (still open, decisions, lowered severity). */
export type AlertReason = 'new' | 'reopened' | 'severity_raised' | 'accepted_expired' | 'remediated' | 'remediation_failed' | 'resolved';

export function alertReason(payload: FindingEventPayload): AlertReason | null {
  switch (payload.event) {
    case 'new':
    case 'reopened':
    case 'accepted_expired':
    case 'resolved':
      return payload.event;
    // Written by kill-switch remediation (recordRun's remediated / remediation_failed): the fix, or the failed
    // attempt to turn a control back on, is news for whoever is on call.
    case 'remediated':
    case 'remediation_failed':
      return payload.event;
    case 'severity_changed': {
      const from = payload.details?.['from'];
      const to = payload.details?.['to'];
      if (!isSeverity(from) || !isSeverity(to)) return null;
      return severityRank(to) > severityRank(from) ? 'severity_raised' : null;
    }
    default:
      return null;
  }
}

/**
 * The finding as an alert presents and routes it. A kill-switch remediation (the fix, or a failed attempt) is always
 * critical news (issue 6), whatever the drift's own severity: a defender was found off and something was done.
 */
export function alertFinding<F extends { readonly severity: Severity }>(reason: AlertReason | 'repeat' | null, finding: F): F {
  return reason === 'remediated' || reason === 'remediation_failed' ? { ...finding, severity: 'critical' } : finding;
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function areaOf(checkId: string): string {
  return checkId.split('.')[0] ?? checkId;
}
