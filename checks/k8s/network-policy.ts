import { defineCheck } from '../../src/check-api/define-check.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, type ControlHit, type ControlAssessment } from './control-result.js';
import type { ClusterInventory } from './model.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';

const ID = 'k8s.namespaces.network-policy';

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const withPolicy = new Set(cluster.networkPolicies.map((policy) => policy.metadata.namespace ?? ''));
  const workloads = new Map<string, number>();
  for (const workload of cluster.workloads) {
    const namespace = workload.metadata.namespace ?? '';
    workloads.set(namespace, (workloads.get(namespace) ?? 0) + 1);
  }
  const hits: ControlHit[] = [];
  const namespaces = cluster.namespaces.filter((ns) => (workloads.get(ns.metadata.name) ?? 0) > 0);
  for (const namespace of namespaces) {
    if (withPolicy.has(namespace.metadata.name)) continue;
    hits.push({
      kind: 'Namespace',
      metadata: namespace.metadata,
      resourceId: `Namespace/${namespace.metadata.name}`,
      severity: 'medium',
      title: `Namespace ${namespace.metadata.name} has no NetworkPolicy (${workloads.get(namespace.metadata.name)} workload objects)`,
      evidence: { namespace: namespace.metadata.name, workloadObjects: workloads.get(namespace.metadata.name) ?? 0, networkPolicies: 0 },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: namespaces.length, unit: 'namespaces' } };
}

/**
 * CIS 5.3.2. A namespace that runs workloads and has no NetworkPolicy lets every pod talk to every other pod. A
 * namespace without workloads has nothing to protect yet and is not counted.
 */
export default defineCheck({
  id: ID,
  title: 'Every namespace that runs workloads has a NetworkPolicy',
  area: 'k8s',
  severity: 'medium',
  description: 'Namespaces with at least one workload and no NetworkPolicy object.',
  remediation: 'Add a default-deny NetworkPolicy to the namespace, then allow the flows it needs.',
  references: [...cis('5.3.2'), ...eks('4.3.2'), ...gke('4.3.2')],
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data, options), options.exceptions);
  },
});
