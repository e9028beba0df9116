import { defineCheck } from '../../src/check-api/define-check.js';
import { cis } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, notApplicable, type ControlAssessment, type ControlHit } from './control-result.js';
import type { ClusterInventory } from './model.js';
import { k8sOptionsSchema } from './options.js';

const ID = 'k8s.policy.admission-mechanism';
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Policy engines recognised by their controller or webhook configuration names. */
const POLICY_ENGINES = /^(kyverno|kyverno-admission-controller|gatekeeper-controller-manager|gatekeeper-validating-webhook-configuration|kyverno-resource-validating-webhook-cfg|kubewarden-controller)$/;

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }): ControlAssessment {
  if (cluster.source === 'none') return notApplicable('no cluster objects collected (source: none)');
  const labelled = cluster.namespaces.filter((ns) => ns.metadata.labels?.[ENFORCE_LABEL]);
  const engines = [...cluster.workloads, ...cluster.others].filter((o) => POLICY_ENGINES.test(o.metadata.name));
  const hits: ControlHit[] =
    labelled.length > 0 || engines.length > 0
      ? []
      : [
          {
            kind: 'Cluster',
            metadata: { name: 'cluster' },
            resourceId: 'cluster',
            severity: 'medium',
            title: `No Pod Security Admission label on any of ${cluster.namespaces.length} namespaces and no policy engine found`,
            evidence: { namespaces: cluster.namespaces.length, label: ENFORCE_LABEL, policyEngines: [] },
          },
        ];
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: 1, unit: 'clusters' } };
}

/** CIS 5.2.1: some policy control mechanism is in place (Pod Security Admission labels or a policy engine). */
export default defineCheck({
  id: ID,
  title: 'The cluster has at least one active policy control mechanism',
  area: 'k8s',
  severity: 'medium',
  description: `Passes when a namespace carries ${ENFORCE_LABEL}, or Kyverno, Gatekeeper or Kubewarden runs (controller or webhook configuration).`,
  remediation: `Label namespaces with ${ENFORCE_LABEL}=baseline (or restricted), or deploy a policy engine.`,
  references: cis('5.2.1'),
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data), options.exceptions);
  },
});
