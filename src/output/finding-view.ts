import { severityRank, type FindingLocation, type JsonValue, type Severity } from '../check-api/types.js';
import { effectiveDecision, type Decision, type FindingStatus } from '../findings/lifecycle.js';
import type { FindingRow } from '../store/finding-row.js';

/**
 * What a report needs to know about one finding. Stored findings carry a lifecycle status; a run with `--no-store`
 * never reached the ledger, so its findings are `unstored` and have no first/last-seen dates.
 */
export interface FindingView {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly resourceId: string;
  readonly key: string;
  readonly scope: string;
  readonly targetId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus | 'unstored';
  /** The decision in force: an acceptance whose date has passed no longer counts. */
  readonly decision: Decision | null;
  /** Why the decision was taken; becomes the SARIF suppression's justification. */
  readonly decisionReason?: string | null;
  /** When an acceptance lapses, epoch ms. */
  readonly decisionUntil?: number | null;
  /** Already redacted before it reached the store or the runner. */
  readonly evidence: { readonly [key: string]: JsonValue };
  readonly location: FindingLocation | null;
  readonly remediation: string | null;
  /** Epoch ms. */
  readonly firstSeen?: number;
  /** Epoch ms. */
  readonly lastSeen?: number;
}

/**
 * A stored finding as a report shows it, now. Takes the row alone so `rows.map(fromFindingRow)` is safe: a second
 * parameter would receive map's index.
 */
export function fromFindingRow(row: FindingRow): FindingView {
  return fromFindingRowAt(row, Date.now());
}

/** `now` decides whether an acceptance has lapsed; a lapsed one is reported as no decision, as it alerts again. */
export function fromFindingRowAt(row: FindingRow, now: number): FindingView {
  const decision = effectiveDecision(row, now);
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
    decision,
    decisionReason: decision === null ? null : row.decisionReason,
    decisionUntil: decision === null ? null : row.decisionUntil,
    evidence: row.evidence,
    location: row.location,
    remediation: row.remediation,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
  };
}

/** Report order: most severe first, then by check, resource and key, so every format lists findings alike. */
export function compareFindings(a: FindingView, b: FindingView): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.resourceId, b.resourceId) ||
    compareText(a.key, b.key) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function sortFindings(findings: readonly FindingView[]): FindingView[] {
  return [...findings].sort(compareFindings);
}

/** Code-unit order, not locale order: output must not change with the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One-line form of a location for flat formats: `src/a.ts:12 @3f2c1ab eu-west-1 https://… 10.0.0.5:22`. */
export function formatLocation(location: FindingLocation | null): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.line !== undefined ? `${location.file}:${location.line}` : location.file);
  if (location.commit !== undefined) parts.push(`@${location.commit}`);
  if (location.region !== undefined) parts.push(location.region);
  if (location.url !== undefined) parts.push(location.url);
  if (location.host !== undefined) parts.push(location.port !== undefined ? hostPort(location.host, location.port) : location.host);
  else if (location.port !== undefined) parts.push(`port ${location.port}`);
  return parts.join(' ');
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isoDate(epochMs: number | undefined | null): string | null {
  return epochMs === undefined || epochMs === null ? null : new Date(epochMs).toISOString();
}
