import type { ControlAssessment, ControlHit } from './control-result.js';
import type { ClusterInventory } from './model.js';
import type { K8sOptions } from './options.js';
import { isBuiltIn } from './rbac-graph.js';
import { systemComponentMatcher } from './system-components.js';

export type ClusterBinding = ClusterInventory['bindings'][number];

/**
 * The shape of every binding control: each RoleBinding and ClusterRoleBinding that is neither built in nor an
 * allowlisted system component counts toward the score, and `hitOf` says whether it fails.
 */
export function assessBindings(cluster: ClusterInventory, options: K8sOptions, hitOf: (binding: ClusterBinding) => ControlHit | undefined): ControlAssessment {
  const isSystem = systemComponentMatcher(options.systemComponents);
  const hits: ControlHit[] = [];
  let total = 0;
  for (const binding of cluster.bindings) {
    if (isBuiltIn(binding.metadata) || isSystem(binding.kind, binding.metadata)) continue;
    total++;
    const hit = hitOf(binding);
    if (hit) hits.push(hit);
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total, unit: 'bindings' } };
}
