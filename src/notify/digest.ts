import { severityRank, type Severity } from '../check-api/types.js';
import { alertFinding, alertReason, type AlertEvent, type AlertFinding, type AlertReason, type RunProblemPayload } from './events.js';
import { runbookFor } from './routing.js';

/** What every chat, mail and webhook message is rendered from: counts, the top items, and run problems. */
export interface Digest {
  readonly title: string;
  readonly counts: Readonly<Partial<Record<AlertReason | 'repeat', number>>>;
  readonly items: readonly DigestItem[];
  /** Findings counted but not listed (beyond the top N). */
  readonly more: number;
  readonly runProblems: readonly RunProblemPayload[];
  readonly maxSeverity: Severity | null;
}

export interface DigestItem {
  readonly reason: AlertReason | 'repeat';
  readonly fingerprint: string;
  readonly checkId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly resourceId: string;
  readonly location: string | null;
  readonly remediation: string;
  readonly runbook: string | null;
  readonly link: string | null;
}

export interface RenderContext {
  readonly runbooks: Readonly<Record<string, string>>;
  /** `{fingerprint}` is replaced; null when there is nothing to link to. */
  readonly findingUrl: string | null;
  readonly top: number;
}

const REASON_LABEL: Record<AlertReason | 'repeat', string> = {
  new: 'new',
  reopened: 'reopened',
  severity_raised: 'severity raised',
  accepted_expired: 'accepted risk expired',
  remediated: 'remediated',
  remediation_failed: 'remediation failed',
  resolved: 'resolved',
  repeat: 'still open',
};

/** Remediation, in words, for a finding whose check gave none: the message must still say what to do first. */
export const NO_REMEDIATION = 'No remediation text from the check: open the finding and its runbook.';

export function reasonLabel(reason: AlertReason | 'repeat'): string {
  return REASON_LABEL[reason];
}

export function buildDigest(events: readonly AlertEvent[], context: RenderContext): Digest {
  const counts: Partial<Record<AlertReason | 'repeat', number>> = {};
  const all: DigestItem[] = [];
  const runProblems: RunProblemPayload[] = [];
  const checks = new Set<string>();
  for (const event of events) {
    if (event.kind === 'run') {
      runProblems.push(event.payload);
      checks.add(event.payload.checkId);
      continue;
    }
    const pairs: [AlertReason | 'repeat', AlertFinding][] =
      event.kind === 'repeat'
        ? event.findings.map((finding) => ['repeat', finding])
        : ((reason) => (reason ? [[reason, alertFinding(reason, event.payload.finding)]] : []))(alertReason(event.payload));
    for (const [reason, finding] of pairs) {
      counts[reason] = (counts[reason] ?? 0) + 1;
      checks.add(finding.checkId);
      all.push(itemFor(reason, finding, context));
    }
  }
  all.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.checkId.localeCompare(b.checkId) || a.resourceId.localeCompare(b.resourceId));
  const items = all.slice(0, context.top);
  const maxSeverity = all[0]?.severity ?? null;
  return { title: titleFor(counts, runProblems, [...checks].sort()), counts, items, more: all.length - items.length, runProblems, maxSeverity };
}

export function itemFor(reason: AlertReason | 'repeat', finding: AlertFinding, context: RenderContext): DigestItem {
  return {
    reason,
    fingerprint: finding.fingerprint,
    checkId: finding.checkId,
    severity: finding.severity,
    title: finding.title,
    resourceId: finding.resourceId,
    location: describeLocation(finding),
    remediation: finding.remediation ?? NO_REMEDIATION,
    runbook: runbookFor(context.runbooks, finding.checkId),
    link: context.findingUrl ? context.findingUrl.replaceAll('{fingerprint}', finding.fingerprint) : null,
  };
}

/** Where to look, in the words each kind of target uses: file:line@commit, region, host:port or a URL. */
export function describeLocation(finding: Pick<AlertFinding, 'location'>): string | null {
  const location = finding.location;
  if (!location) return null;
  const parts: string[] = [];
  if (location.file) parts.push(`${location.file}${location.line !== undefined ? `:${location.line}` : ''}${location.commit ? `@${location.commit.slice(0, 12)}` : ''}`);
  if (location.host) parts.push(`${location.host}${location.port !== undefined ? `:${location.port}` : ''}`);
  if (location.region) parts.push(location.region);
  if (location.url) parts.push(location.url);
  return parts.length > 0 ? parts.join(' · ') : null;
}

function titleFor(counts: Partial<Record<AlertReason | 'repeat', number>>, problems: readonly RunProblemPayload[], checks: readonly string[]): string {
  const parts = (Object.keys(REASON_LABEL) as (AlertReason | 'repeat')[])
    .filter((reason) => (counts[reason] ?? 0) > 0)
    .map((reason) => `${counts[reason]} ${REASON_LABEL[reason]}`);
  for (const problem of problems) parts.push(`run ${problem.outcome}`);
  const scope = checks.length === 1 ? checks[0]! : `${checks.length} checks`;
  return `Vigil ${scope}: ${parts.join(', ') || 'no changes'}`;
}

export const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: '#8B0000',
  high: '#D93F0B',
  medium: '#FBCA04',
  low: '#0E8A16',
  info: '#6A737D',
};

export function problemLine(problem: RunProblemPayload): string {
  const scopes = problem.failedScopes.map((failed) => `${failed.scope} (${failed.error.message})`).join('; ');
  return `Run ${problem.runId} of ${problem.checkId} [${problem.targetId}] ${problem.outcome}${problem.error ? `: ${problem.error}` : ''}${scopes ? ` — could not look at: ${scopes}` : ''}. Nothing was resolved; findings there are unknown until a complete run.`;
}
