import { defineCheck } from '../../src/check-api/define-check.js';
import { cis, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, type ControlHit, type ControlAssessment } from './control-result.js';
import type { ClusterInventory } from './model.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';

const ID = 'k8s.namespaces.psa-enforce-label';
const LABEL = 'pod-security.kubernetes.io/enforce';
const ENFORCING = new Set(['baseline', 'restricted']);

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const hits: ControlHit[] = [];
  for (const namespace of cluster.namespaces) {
    const level = namespace.metadata.labels?.[LABEL];
    if (level && ENFORCING.has(level)) continue;
    hits.push({
      kind: 'Namespace',
      metadata: namespace.metadata,
      resourceId: `Namespace/${namespace.metadata.name}`,
      severity: 'low',
      title: `Namespace ${namespace.metadata.name} ${level ? `enforces '${level}'` : 'enforces no Pod Security Standard'}`,
      evidence: { path: `metadata.labels["${LABEL}"]`, value: level ?? null },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: cluster.namespaces.length, unit: 'namespaces' } };
}

/**
 * The admission reading of CIS 5.2.x (kubescape's): each namespace enforces the baseline or restricted Pod Security
 * Standard, so a new privileged pod is refused rather than found later by the k8s.pods.* controls.
 */
export default defineCheck({
  id: ID,
  title: 'Every namespace enforces a Pod Security Standard',
  area: 'k8s',
  severity: 'low',
  description: `Namespaces whose ${LABEL} label is missing or 'privileged'.`,
  remediation: `kubectl label namespace <ns> ${LABEL}=baseline (or restricted); namespaces that must stay privileged get an exception.`,
  references: [...cis('5.2.1'), ...gke('4.2.1')],
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data, options), options.exceptions);
  },
});
