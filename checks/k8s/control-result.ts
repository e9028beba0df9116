import type { FindingInput, JsonValue, Severity } from '../../src/check-api/types.js';
import type { ObjectMeta } from './model.js';
import type { K8sException } from './options.js';
import { globRegExp } from './system-components.js';

/** One object that fails a control. */
export interface ControlHit {
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly resourceId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly evidence: { readonly [key: string]: JsonValue };
  readonly key?: string;
}

export interface ControlOutcome {
  readonly hits: readonly ControlHit[];
  /** Objects the control looked at (the score's denominator); allowlisted system components are not counted. */
  readonly total: number;
  /** The unit of `total`, for the score text: "workloads", "roles", "namespaces", "settings". */
  readonly unit: string;
}

/** What one control concluded about one collection: the failing objects out of how many, or why it does not apply. */
export type ControlAssessment =
  | { readonly status: 'assessed'; readonly scope: string; readonly outcome: ControlOutcome }
  | { readonly status: 'not-applicable'; readonly reason: string };

export const notApplicable = (reason: string): ControlAssessment => ({ status: 'not-applicable', reason });

export function findingsOf(checkId: string, assessment: ControlAssessment, exceptions: readonly K8sException[]): FindingInput[] {
  return assessment.status === 'assessed' ? controlFindings(checkId, assessment.scope, assessment.outcome, exceptions) : [];
}

/**
 * Turns a control's hits into findings: the cluster/node scope, the per-control score (failed / total objects) in every
 * finding's evidence, and config exceptions as `acceptance` (the store records them as accepted decisions that lapse
 * on their expiry date).
 */
export function controlFindings(checkId: string, scope: string, outcome: ControlOutcome, exceptions: readonly K8sException[]): FindingInput[] {
  const failedObjects = new Set(outcome.hits.map((hit) => hit.resourceId)).size;
  const score = { failed: failedObjects, total: outcome.total, unit: outcome.unit, text: `${failedObjects}/${outcome.total} ${outcome.unit} failing` };
  const rules = exceptions.filter((exception) => globRegExp(exception.control).test(checkId));
  return outcome.hits.map((hit) => {
    const exception = rules.find((rule) => exceptionMatches(rule, hit));
    return {
      resourceId: hit.resourceId,
      ...(hit.key ? { key: hit.key } : {}),
      scope,
      title: hit.title,
      severity: hit.severity,
      evidence: {
        ...hit.evidence,
        score,
        ...(exception ? { exception: { reason: exception.reason, owner: exception.owner, expires: new Date(exception.expires).toISOString() } } : {}),
      },
      ...(exception ? { acceptance: { reason: `k8s exception: ${exception.reason}`, owner: exception.owner, until: exception.expires } } : {}),
    };
  });
}

export function exceptionMatches(exception: K8sException, hit: Pick<ControlHit, 'kind' | 'metadata'>): boolean {
  if (exception.namespace !== undefined && exception.namespace !== (hit.metadata.namespace ?? '')) return false;
  if (exception.kind !== undefined && exception.kind !== hit.kind) return false;
  if (exception.name !== undefined && !globRegExp(exception.name).test(hit.metadata.name)) return false;
  for (const [key, value] of Object.entries(exception.labels ?? {})) if (hit.metadata.labels?.[key] !== value) return false;
  return true;
}
