import { describeError } from '../check-api/errors.js';
import { effectiveDecision } from '../findings/lifecycle.js';
import type { Db } from '../store/db.js';
import type { RouteMatch } from './config.js';
import { alertStateClear, alertStateHas, alertStateTouch, markUnroutable, recordFanOut, unplannedOutbox, type PlannedDelivery, type UnplannedRow } from './delivery-store.js';
import { alertFinding, alertReason, parseOutboxRow, type AlertEvent, type AlertFinding } from './events.js';
import { matchesRoute, selectRoutes, type RoutedRoute } from './routing.js';
import type { Sink } from './sink.js';

/** Ticket sync consumes lifecycle and decision events; it decides per event what, if anything, Jira needs. */
export const JIRA_SINK = 'jira';
const TICKET_EVENTS = new Set(['new', 'open', 'reopened', 'resolved', 'accepted_expired', 'severity_changed', 'decision_false_positive', 'decision_accepted', 'decision_cleared']);
/** A person's decision that silences a finding ends any page for it. */
const SILENCING_DECISIONS = new Set(['decision_false_positive', 'decision_accepted', 'decision_muted']);

export interface FanOutPlan {
  readonly sinks: ReadonlyMap<string, Pick<Sink, 'type' | 'digest'>>;
  readonly routes: readonly RoutedRoute[];
  readonly jira: { readonly match: RouteMatch; readonly orderKey: (finding: AlertFinding) => string } | null;
}

/**
 * Turns new outbox rows into per-sink deliveries, each row in its own transaction with its alert state, so a crash
 * leaves every row either fully planned or untouched. A run's rows are already committed together (recordRun is one
 * transaction), so all of a run's alerts for a sink land in one digest group.
 */
export function fanOut(db: Db, plan: FanOutPlan, now: number, limit = 500): number {
  const rows = unplannedOutbox(db, limit);
  if (rows.length === 0) return 0;
  // One transaction per batch: each row is still planned completely or not at all, and commits are amortised.
  db.transaction(() => {
    for (const row of rows) {
      let event: AlertEvent;
      try {
        event = parseOutboxRow(row);
      } catch (error) {
        markUnroutable(db, row.id, `cannot route outbox row: ${describeError(error).split('\n')[0]}`, now);
        continue;
      }
      recordFanOut(db, row.id, deliveriesFor(db, plan, row, event, now), now);
    }
  }).immediate();
  return rows.length;
}

function currentlySilenced(db: Db, fingerprint: string, now: number): boolean {
  const row = db.prepare(`SELECT decision, decision_until FROM findings WHERE fingerprint = ?`).get(fingerprint) as
    | { decision: 'false_positive' | 'accepted' | 'muted' | null; decision_until: number | null }
    | undefined;
  if (!row) return false;
  return effectiveDecision({ decision: row.decision, decisionUntil: row.decision_until }, now) !== null;
}

function deliveriesFor(db: Db, plan: FanOutPlan, row: UnplannedRow, event: AlertEvent, now: number): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  const seen = new Set<string>();
  const add = (sink: string, route: string | null, orderKey: string | null) => {
    const target = plan.sinks.get(sink);
    if (!target || seen.has(sink)) return;
    seen.add(sink);
    const groupKey = target.digest && event.kind !== 'repeat' && row.runId ? `run:${row.runId}` : `outbox:${row.id}`;
    out.push({ sink, groupKey, orderKey, route });
  };

  if (event.kind === 'run') {
    for (const route of selectRoutes(plan.routes, { checkId: event.payload.checkId })) {
      if (!route.config.sendRunProblems) continue;
      for (const sink of route.config.sinks) if (plan.sinks.get(sink)?.type !== 'pagerduty') add(sink, route.name, null);
    }
    return out;
  }
  if (event.kind === 'repeat') {
    const route = plan.routes.find((candidate) => candidate.name === event.route);
    for (const sink of route?.config.sinks ?? []) if (plan.sinks.get(sink)?.type !== 'pagerduty') add(sink, event.route, null);
    return out;
  }

  const payload = event.payload;
  const finding = payload.finding;
  const reason = alertReason(payload);
  const silenced = finding.decision !== null || currentlySilenced(db, finding.fingerprint, now);

  // PagerDuty: resolve what was paged when the finding resolves or a person silences it, whatever the routes say now.
  if (reason === 'resolved' || reason === 'remediated' || SILENCING_DECISIONS.has(payload.event)) {
    for (const [name, sink] of plan.sinks) {
      if (sink.type !== 'pagerduty' || !alertStateHas(db, `sink:${name}`, finding.fingerprint)) continue;
      add(name, null, finding.fingerprint);
      alertStateClear(db, `sink:${name}`, finding.fingerprint);
    }
  }
  if (reason !== null && !silenced) {
    for (const route of selectRoutes(plan.routes, { checkId: finding.checkId, finding: alertFinding(reason, finding) })) {
      if (reason === 'resolved' || reason === 'remediated') {
        alertStateClear(db, `route:${route.name}`, finding.fingerprint);
        if (reason === 'resolved' && !route.config.sendResolved) continue;
        for (const sink of route.config.sinks) if (plan.sinks.get(sink)?.type !== 'pagerduty') add(sink, route.name, finding.fingerprint);
        continue;
      }
      alertStateTouch(db, `route:${route.name}`, finding.fingerprint, now);
      for (const sink of route.config.sinks) {
        if (plan.sinks.get(sink)?.type === 'pagerduty') alertStateTouch(db, `sink:${sink}`, finding.fingerprint, now);
        add(sink, route.name, finding.fingerprint);
      }
    }
  }
  if (plan.jira && TICKET_EVENTS.has(payload.event) && matchesRoute(plan.jira.match, { checkId: finding.checkId, finding })) {
    add(JIRA_SINK, null, plan.jira.orderKey(finding));
  }
  return out;
}
