import { assessBindings } from './binding-assessment.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { defineK8sControlCheck } from './control-check.js';
import type { ControlAssessment } from './control-result.js';
import { objectRef, type ClusterInventory } from './model.js';
import type { K8sOptions } from './options.js';

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  return assessBindings(cluster, options, (binding) => {
    if (binding.roleRef.kind !== 'ClusterRole' || binding.roleRef.name !== 'cluster-admin') return undefined;
    const resourceId = objectRef(binding.kind, binding.metadata);
    const scope = binding.kind === 'ClusterRoleBinding' ? 'the whole cluster' : `namespace ${binding.metadata.namespace}`;
    return {
      kind: binding.kind,
      metadata: binding.metadata,
      resourceId,
      severity: 'high',
      title: `${resourceId} grants cluster-admin over ${scope} to ${binding.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || 'no subjects'}`,
      evidence: { kind: binding.kind, namespace: binding.metadata.namespace ?? null, name: binding.metadata.name, path: 'roleRef.name', holders: binding.subjects.map((s) => ({ kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) })) },
    };
  });
}

/**
 * CIS 5.1.1. Built-in bindings are recognised by the rbac-defaults label and distribution bindings (kubeadm's
 * `kubeadm:cluster-admins`, EKS's `eks:*`) by the system-component allowlist; a `system:` name alone proves nothing.
 */
export default defineK8sControlCheck(
  {
    id: 'k8s.rbac.cluster-admin-bindings',
    title: 'The cluster-admin role is bound only where required',
    severity: 'high',
    description: 'Every ClusterRoleBinding or RoleBinding to the cluster-admin ClusterRole, other than the built-in ones, with the subjects it empowers.',
    remediation: 'Bind a narrower role instead of cluster-admin, or delete the binding: kubectl delete clusterrolebinding <name>.',
    references: [...cis('5.1.1'), ...eks('4.1.1'), ...gke('4.1.1')],
  },
  { cluster: clusterObjects },
  assess,
);
