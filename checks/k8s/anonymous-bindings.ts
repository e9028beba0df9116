import { assessBindings } from './binding-assessment.js';
import { gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { defineK8sControlCheck } from './control-check.js';
import type { ControlAssessment } from './control-result.js';
import { objectRef, type ClusterInventory } from './model.js';
import type { K8sOptions } from './options.js';

const ID = 'k8s.rbac.anonymous-bindings';
const EVERYONE = new Set(['User\0system:anonymous', 'Group\0system:unauthenticated', 'Group\0system:authenticated']);

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  return assessBindings(cluster, options, (binding) => {
    const everyone = binding.subjects.flatMap((subject, index) => (EVERYONE.has(`${subject.kind}\0${subject.name}`) ? [{ path: `subjects[${index}]`, value: `${subject.kind} ${subject.name}` }] : []));
    if (everyone.length === 0) return undefined;
    const resourceId = objectRef(binding.kind, binding.metadata);
    return {
      kind: binding.kind,
      metadata: binding.metadata,
      resourceId,
      severity: 'high',
      title: `${resourceId} grants ${binding.roleRef.kind}/${binding.roleRef.name} to ${everyone.map((e) => e.value.split(' ')[1]).join(', ')}`,
      evidence: { role: `${binding.roleRef.kind}/${binding.roleRef.name}`, fields: everyone },
    };
  });
}

/** CIS GKE 4.1.8–4.1.10, useful everywhere: no non-default binding hands a role to anonymous or all-authenticated users. */
export default defineK8sControlCheck(
  {
    id: ID,
    title: 'No role is granted to anonymous or to all authenticated users',
    severity: 'high',
    description: 'Non-default bindings whose subjects are system:anonymous, system:unauthenticated or system:authenticated (on GKE, any Google account).',
    remediation: 'Delete the binding or bind the role to specific users, groups or service accounts.',
    references: gke('4.1.8', '4.1.9', '4.1.10'),
  },
  { cluster: clusterObjects },
  assess,
);
