import { effectiveDecision } from '../findings/lifecycle.js';
import type { Db } from '../store/db.js';
import { findingFromRaw, type FindingRow, type RawFindingRow } from '../store/finding-row.js';
import { appendOutbox } from '../store/outbox.js';
import { REPEAT_TOPIC, type AlertFinding } from './events.js';
import { matchesRoute, type RoutedRoute } from './routing.js';

export function alertFindingOf(row: FindingRow, now: number): AlertFinding {
  return {
    fingerprint: row.fingerprint,
    checkId: row.checkId,
    resourceId: row.resourceId,
    key: row.key,
    scope: row.scope,
    targetId: row.targetId,
    title: row.title,
    severity: row.severity,
    status: row.status,
    evidence: row.evidence as Record<string, unknown>,
    location: row.location,
    remediation: row.remediation,
    tags: [...row.tags],
    decision: effectiveDecision(row, now),
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
  };
}

/**
 * Findings stay open without producing events, so reminders cannot come from the event stream: this sweep finds
 * findings a route alerted on more than `repeatInterval` ago that are still active and unsilenced, and writes one
 * reminder row per route (a digest, never one message per finding). Returns how many reminder rows it wrote.
 */
export function sweepRepeats(db: Db, routes: readonly RoutedRoute[], now: number): number {
  let written = 0;
  for (const route of routes) {
    const interval = route.config.repeatInterval;
    if (interval === undefined) continue;
    const severities = route.config.repeatSeverities;
    const rows = db
      .prepare(
        `SELECT f.* FROM alert_state a JOIN findings f ON f.fingerprint = a.fingerprint
         WHERE a.scope = ? AND a.last_alerted_at <= ? AND f.status IN ('new','open','reopened')
           AND f.severity IN (${severities.map(() => '?').join(',')})
         ORDER BY f.fingerprint`,
      )
      .all(`route:${route.name}`, now - interval, ...severities) as RawFindingRow[];
    const due = rows
      .map(findingFromRaw)
      .filter((finding) => effectiveDecision(finding, now) === null && matchesRoute(route.config.match, { checkId: finding.checkId, finding }));
    if (due.length === 0) continue;
    db.transaction(() => {
      appendOutbox(db, { topic: REPEAT_TOPIC, payload: { route: route.name, findings: due.map((finding) => alertFindingOf(finding, now)) } }, now);
      const touch = db.prepare(`UPDATE alert_state SET last_alerted_at = ? WHERE scope = ? AND fingerprint = ?`);
      for (const finding of due) touch.run(now, `route:${route.name}`, finding.fingerprint);
    }).immediate();
    written += 1;
  }
  return written;
}
