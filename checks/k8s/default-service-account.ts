import { defineCheck } from '../../src/check-api/define-check.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, type ControlHit, type ControlAssessment } from './control-result.js';
import { objectRef, type ClusterInventory } from './model.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';
import { isBuiltIn } from './rbac-graph.js';
import { systemComponentMatcher } from './system-components.js';

const ID = 'k8s.rbac.default-service-account';

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const isSystem = systemComponentMatcher(options.systemComponents);
  const hits: ControlHit[] = [];
  const defaults = cluster.serviceAccounts.filter((sa) => sa.metadata.name === 'default');
  for (const sa of defaults) {
    const namespace = sa.metadata.namespace ?? '';
    const bindings = cluster.bindings.filter(
      (binding) =>
        !isBuiltIn(binding.metadata) &&
        !isSystem(binding.kind, binding.metadata) &&
        binding.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === 'default' && (s.namespace ?? binding.metadata.namespace) === namespace),
    );
    const automount = sa.automountServiceAccountToken !== false;
    if (!automount && bindings.length === 0) continue;
    const resourceId = objectRef('ServiceAccount', sa.metadata);
    const problems = [...(automount ? ['mounts its token by default'] : []), ...(bindings.length ? [`is bound by ${bindings.length} binding(s)`] : [])];
    hits.push({
      kind: 'ServiceAccount',
      metadata: sa.metadata,
      resourceId,
      severity: bindings.length ? 'medium' : 'low',
      title: `${resourceId} ${problems.join(' and ')}`,
      evidence: {
        namespace,
        fields: automount ? [{ path: 'automountServiceAccountToken', value: sa.automountServiceAccountToken ?? null }] : [],
        bindings: bindings.map((binding) => ({ binding: objectRef(binding.kind, binding.metadata), role: `${binding.roleRef.kind}/${binding.roleRef.name}` })),
      },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: defaults.length, unit: 'default service accounts' } };
}

/** CIS 5.1.5: each namespace's `default` service account mounts no token by default and is bound to no role. */
export default defineCheck({
  id: ID,
  title: 'Default service accounts are not actively used',
  area: 'k8s',
  severity: 'medium',
  description: 'Every pod without serviceAccountName runs as `default`; a token it automounts, or a role bound to it, reaches every such pod.',
  remediation: 'Set automountServiceAccountToken: false on each default service account and bind roles to dedicated service accounts instead.',
  references: [...cis('5.1.5'), ...eks('4.1.5'), ...gke('4.1.4')],
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data, options), options.exceptions);
  },
});
