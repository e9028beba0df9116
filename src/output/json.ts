import type { FindingLocation, JsonValue, Severity } from '../check-api/types.js';
import type { Decision, FindingStatus } from '../findings/lifecycle.js';
import { isoDate, sortFindings, type FindingView } from './finding-view.js';

export interface JsonReportOptions {
  readonly toolVersion: string;
  readonly now: Date;
  /** Per-control compliance results (e.g. the CIS AWS summary of `audit run aws`); left out when absent. */
  readonly compliance?: JsonValue;
}

export interface JsonReport {
  readonly tool: { readonly name: 'vigil'; readonly version: string };
  readonly generatedAt: string;
  readonly findings: readonly JsonFinding[];
  readonly compliance?: JsonValue;
}

/** The published shape of one finding; keys are written in this order. Absent values are `null`, never missing. */
export interface JsonFinding {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly resourceId: string;
  readonly key: string;
  readonly scope: string;
  readonly targetId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus | 'unstored';
  readonly decision: Decision | null;
  readonly decisionReason: string | null;
  readonly decisionUntil: string | null;
  readonly evidence: { readonly [key: string]: JsonValue };
  readonly location: FindingLocation | null;
  readonly remediation: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

export function buildJsonReport(findings: readonly FindingView[], options: JsonReportOptions): JsonReport {
  return {
    tool: { name: 'vigil', version: options.toolVersion },
    generatedAt: options.now.toISOString(),
    findings: sortFindings(findings).map(toJsonFinding),
    ...(options.compliance !== undefined ? { compliance: options.compliance } : {}),
  };
}

export function renderJson(findings: readonly FindingView[], options: JsonReportOptions): string {
  return `${JSON.stringify(buildJsonReport(findings, options), null, 2)}\n`;
}

function toJsonFinding(finding: FindingView): JsonFinding {
  return {
    fingerprint: finding.fingerprint,
    checkId: finding.checkId,
    resourceId: finding.resourceId,
    key: finding.key,
    scope: finding.scope,
    targetId: finding.targetId,
    title: finding.title,
    severity: finding.severity,
    status: finding.status,
    decision: finding.decision,
    decisionReason: finding.decisionReason ?? null,
    decisionUntil: isoDate(finding.decisionUntil),
    evidence: sortKeys(finding.evidence),
    location: finding.location === null ? null : sortKeys(finding.location),
    remediation: finding.remediation,
    firstSeen: isoDate(finding.firstSeen),
    lastSeen: isoDate(finding.lastSeen),
  };
}

/**
 * A copy with object keys in code-unit order at every depth, so two runs over the same data print the same bytes
 * whatever order a check built its evidence in. Arrays keep their order: it can carry meaning.
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)])) as T;
}
