import { defineCheck } from '../../src/check-api/define-check.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, type ControlHit, type ControlAssessment } from './control-result.js';
import { objectRef, type ObjectMeta, type ClusterInventory } from './model.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';
import { systemComponentMatcher } from './system-components.js';
import { owningWorkloads } from './workloads.js';

const ID = 'k8s.namespaces.default-namespace-objects';
/** What Kubernetes itself puts in `default`. */
const EXPECTED = new Set(['Service/kubernetes', 'ServiceAccount/default', 'ConfigMap/kube-root-ca.crt', 'Endpoints/kubernetes', 'EndpointSlice/kubernetes']);

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const objects: { kind: string; metadata: ObjectMeta }[] = [
    // Workloads by owner: one Deployment is one object, not a Deployment, a ReplicaSet and three pods.
    ...owningWorkloads(cluster, systemComponentMatcher(options.systemComponents)).owners.map((o) => o.workload),
    ...cluster.serviceAccounts.map((sa) => ({ kind: 'ServiceAccount', metadata: sa.metadata })),
    ...cluster.roles,
    ...cluster.bindings,
    ...cluster.networkPolicies.map((p) => ({ kind: 'NetworkPolicy', metadata: p.metadata })),
    ...cluster.others,
  ].filter((o) => o.metadata.namespace === 'default' && !EXPECTED.has(`${o.kind}/${o.metadata.name}`));
  const hits: ControlHit[] = objects.map((object) => {
    const resourceId = objectRef(object.kind, object.metadata);
    return { kind: object.kind, metadata: object.metadata, resourceId, severity: 'low', title: `${resourceId} lives in the default namespace`, evidence: { kind: object.kind, name: object.metadata.name, path: 'metadata.namespace', value: 'default' } };
  });
  hits.sort((a, b) => a.resourceId.localeCompare(b.resourceId));
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: objects.length, unit: 'objects in default' } };
}

/** CIS 5.6.4 (1.10: 5.7.4): the default namespace holds nothing but what Kubernetes creates there. */
export default defineCheck({
  id: ID,
  title: 'The default namespace is not used',
  area: 'k8s',
  severity: 'low',
  description: 'Workloads, RBAC objects, service accounts and (from dumps) any other object in `default`, except the kubernetes Service, the default service account and kube-root-ca.crt.',
  remediation: 'Move the object to a namespace of its own, with its own RBAC and NetworkPolicy.',
  references: [...cis('5.6.4', '5.7.4'), ...eks('4.5.2'), ...gke('4.6.4')],
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data, options), options.exceptions);
  },
});
