import type { FindingInput, FindingLocation, JsonValue, Severity } from '../check-api/types.js';
import { fingerprintOf } from '../findings/fingerprint.js';
import type { Decision, FindingStatus } from '../findings/lifecycle.js';

/** A finding as stored, with JSON columns parsed. Evidence was redacted before it ever reached the store. */
export interface FindingRow {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly resourceId: string;
  readonly key: string;
  readonly scope: string;
  readonly targetId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly evidence: { readonly [key: string]: JsonValue };
  readonly location: FindingLocation | null;
  readonly remediation: string | null;
  readonly tags: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolvedAt: number | null;
  readonly firstRunId: string;
  readonly lastRunId: string;
  readonly decision: Decision | null;
  readonly decisionUntil: number | null;
  readonly decisionReason: string | null;
  readonly decisionBy: string | null;
  readonly decisionAt: number | null;
}

export interface RawFindingRow {
  fingerprint: string;
  check_id: string;
  resource_id: string;
  key: string;
  scope: string;
  target_id: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  evidence: string;
  location: string | null;
  remediation: string | null;
  tags: string;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
  first_run_id: string;
  last_run_id: string;
  decision: Decision | null;
  decision_until: number | null;
  decision_reason: string | null;
  decision_by: string | null;
  decision_at: number | null;
}

export function findingFromRaw(row: RawFindingRow): FindingRow {
  return {
    fingerprint: row.fingerprint,
    checkId: row.check_id,
    resourceId: row.resource_id,
    key: row.key,
    scope: row.scope,
    targetId: row.target_id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    evidence: JSON.parse(row.evidence),
    location: row.location ? JSON.parse(row.location) : null,
    remediation: row.remediation,
    tags: JSON.parse(row.tags),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
    decision: row.decision,
    decisionUntil: row.decision_until,
    decisionReason: row.decision_reason,
    decisionBy: row.decision_by,
    decisionAt: row.decision_at,
  };
}

/** The columns a run's finding determines on its own, the same whether it is stored (a new row) or only shown. */
export function findingFieldsOf(checkId: string, targetId: string, finding: FindingInput) {
  return {
    fingerprint: fingerprintOf(checkId, finding.resourceId, finding.key ?? ''),
    checkId,
    resourceId: finding.resourceId,
    key: finding.key ?? '',
    scope: finding.scope ?? targetId,
    targetId,
    title: finding.title,
    severity: finding.severity,
    evidence: finding.evidence,
    location: finding.location ?? null,
  };
}
