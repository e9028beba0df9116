import type { Area, CheckMeta, JsonValue, Reference, Severity } from '../check-api/types.js';
import type { Decision } from '../findings/lifecycle.js';
import { isoDate, sortFindings, type FindingView } from './finding-view.js';
import { sortKeys } from './json.js';

/**
 * SARIF 2.1.0, shaped for GitHub code scanning: `security-severity` on each rule, `partialFingerprints` so alerts
 * follow a finding across runs, and decisions as suppressions rather than dropped results, so an accepted risk
 * closes its alert instead of looking fixed.
 */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_FINGERPRINT_KEY = 'vigil/v1';

export interface SarifOptions {
  readonly toolVersion: string;
  /** Where users read about the tool; omitted when the caller has none to give. */
  readonly informationUri?: string;
}

/** GitHub code scanning buckets these: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, > 0 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** Decisions that say "this is not a problem to fix"; a mute only silences alerts, so it is not one. */
const SUPPRESSING: ReadonlySet<Decision> = new Set<Decision>(['false_positive', 'accepted']);

// The subset of the SARIF object model this writer emits.
export interface SarifLog {
  readonly $schema: typeof SARIF_SCHEMA_URI;
  readonly version: '2.1.0';
  readonly runs: readonly [SarifRun];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly results: readonly SarifResult[];
}

export interface SarifDriver {
  readonly name: 'Vigil';
  readonly version: string;
  readonly semanticVersion?: string;
  readonly informationUri?: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help?: { readonly text: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly 'security-severity': string; readonly tags: readonly string[] };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly partialFingerprints: { readonly [SARIF_FINGERPRINT_KEY]: string };
  readonly locations: readonly SarifLocation[];
  readonly suppressions?: readonly SarifSuppression[];
  readonly baselineState?: SarifBaselineState;
  readonly properties: { readonly [key: string]: JsonValue };
}

export type SarifBaselineState = 'new' | 'unchanged' | 'updated' | 'absent';

/**
 * The ledger's lifecycle in SARIF's words, so a consumer of an export with every status can tell a fixed finding
 * (absent) from an active one instead of reading resolved findings as open results.
 */
const BASELINE_STATE: Record<string, SarifBaselineState | undefined> = {
  new: 'new',
  open: 'unchanged',
  reopened: 'updated',
  resolved: 'absent',
};

export type SarifLocation =
  | {
      readonly physicalLocation: {
        readonly artifactLocation: { readonly uri: string };
        readonly region?: { readonly startLine: number };
      };
      readonly properties?: { readonly commit: string };
    }
  | { readonly logicalLocations: readonly { readonly fullyQualifiedName: string; readonly kind: 'resource' }[] };

export interface SarifSuppression {
  readonly kind: 'external';
  readonly status: 'accepted';
  readonly justification: string;
}

export function buildSarifLog(findings: readonly FindingView[], checks: readonly CheckMeta[], options: SarifOptions): SarifLog {
  const sorted = sortFindings(findings);
  const metaById = new Map(checks.map((check) => [check.id, check]));
  // Sorted most severe first, so the first finding of a check carries its highest severity.
  const firstOfCheck = new Map<string, FindingView>();
  for (const finding of sorted) if (!firstOfCheck.has(finding.checkId)) firstOfCheck.set(finding.checkId, finding);
  const ruleIds = [...firstOfCheck.keys()].sort();
  const rules = ruleIds.map((id) => toRule(id, metaById.get(id), firstOfCheck.get(id)!.severity));
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));

  const driver: SarifDriver = {
    name: 'Vigil',
    version: options.toolVersion,
    ...(isSemver(options.toolVersion) ? { semanticVersion: options.toolVersion } : {}),
    ...(options.informationUri !== undefined ? { informationUri: options.informationUri } : {}),
    rules,
  };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver }, results: sorted.map((finding) => toResult(finding, ruleIndex.get(finding.checkId) ?? 0)) }],
  };
}

export function renderSarif(findings: readonly FindingView[], checks: readonly CheckMeta[], options: SarifOptions): string {
  return `${JSON.stringify(buildSarifLog(findings, checks, options), null, 2)}\n`;
}

/**
 * A finding whose check is not registered (removed since it was stored, or written by a newer build) still gets a
 * rule, rated by the worst severity among its findings.
 */
function toRule(id: string, meta: CheckMeta | undefined, worstSeverity: Severity): SarifRule {
  if (!meta) {
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: id },
      fullDescription: { text: `Check ${id} is not in this build's registry.` },
      defaultConfiguration: { level: SARIF_LEVEL[worstSeverity] },
      properties: { 'security-severity': SECURITY_SEVERITY[worstSeverity], tags: ['security'] },
    };
  }
  const helpUri = meta.references.find((reference) => reference.url !== undefined)?.url;
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description || meta.title },
    ...(meta.remediation ? { help: { text: meta.remediation } } : {}),
    ...(helpUri !== undefined ? { helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[meta.severity],
      tags: ruleTags(meta.area, meta.references),
    },
  };
}

function ruleTags(area: Area, references: readonly Reference[]): string[] {
  return [...new Set(['security', area, ...references.map(referenceTag)])];
}

/** `{framework:'cis-aws', version:'5.0.0', control:'2.1.4'}` → `CIS-AWS-5.0.0:2.1.4`. */
export function referenceTag(reference: Reference): string {
  const framework = reference.framework.toUpperCase();
  return `${reference.version ? `${framework}-${reference.version}` : framework}:${reference.control}`;
}

/** SARIF wants a readable identifier: `aws.cloudtrail.multi-region` → `AwsCloudtrailMultiRegion`. */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function toResult(finding: FindingView, ruleIndex: number): SarifResult {
  const suppressed = finding.decision !== null && SUPPRESSING.has(finding.decision);
  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: messageText(finding) },
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
    locations: [toLocation(finding)],
    ...(suppressed ? { suppressions: [toSuppression(finding)] } : {}),
    ...(BASELINE_STATE[finding.status] ? { baselineState: BASELINE_STATE[finding.status]! } : {}),
    properties: {
      severity: finding.severity,
      status: finding.status,
      decision: finding.decision,
      scope: finding.scope,
      targetId: finding.targetId,
      resourceId: finding.resourceId,
      key: finding.key,
      evidence: sortKeys(finding.evidence) as { [key: string]: JsonValue },
      ...(finding.firstSeen !== undefined ? { firstSeen: isoDate(finding.firstSeen) } : {}),
      ...(finding.lastSeen !== undefined ? { lastSeen: isoDate(finding.lastSeen) } : {}),
    },
  };
}

/** Code scanning shows only the message for a result without a file, so the resource goes in when the title lacks it. */
function messageText(finding: FindingView): string {
  return finding.title.includes(finding.resourceId) ? finding.title : `${finding.title} (${finding.resourceId})`;
}

function toLocation(finding: FindingView): SarifLocation {
  const location = finding.location;
  if (location?.file !== undefined && location.file !== '') {
    const hasLine = location.line !== undefined && Number.isInteger(location.line) && location.line >= 1;
    return {
      physicalLocation: {
        artifactLocation: { uri: fileUri(location.file) },
        ...(hasLine ? { region: { startLine: location.line! } } : {}),
      },
      ...(location.commit !== undefined ? { properties: { commit: location.commit } } : {}),
    };
  }
  return { logicalLocations: [{ fullyQualifiedName: finding.resourceId, kind: 'resource' }] };
}

/**
 * A path as a relative URI reference: `/` separators, each segment percent-encoded so spaces, `#`, `?` and a
 * leading `c:` cannot turn into a query, fragment or scheme.
 */
export function fileUri(path: string): string {
  return path.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/');
}

function toSuppression(finding: FindingView): SarifSuppression {
  const reason = finding.decisionReason?.trim();
  const until = finding.decision === 'accepted' ? isoDate(finding.decisionUntil) : null;
  const what = finding.decision === 'accepted' ? `Risk accepted in Vigil${until ? ` until ${until}` : ''}` : 'Marked false positive in Vigil';
  return { kind: 'external', status: 'accepted', justification: reason ? `${what}: ${reason}` : what };
}

function isSemver(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version);
}
