import { defineCheck } from '../../src/check-api/define-check.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { findingsOf, type ControlHit, type ControlAssessment } from './control-result.js';
import { objectRef, type ClusterInventory } from './model.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';
import { systemComponentMatcher } from './system-components.js';
import { owningWorkloads } from './workloads.js';

const ID = 'k8s.pods.token-automount';

/** The control's verdict over one collection; `evaluate` turns it into findings, `audit k8s-score` into a score. */
export function assess({ cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const view = owningWorkloads(cluster, systemComponentMatcher(options.systemComponents));
  const accounts = new Map(cluster.serviceAccounts.map((sa) => [`${sa.metadata.namespace ?? ''}/${sa.metadata.name}`, sa]));
  const hits: ControlHit[] = [];
  for (const { workload, sources } of view.owners) {
    const source = sources.find((s) => !s.ephemeralOnly);
    if (!source) continue;
    const spec = source.spec;
    const accountName = spec.serviceAccountName ?? 'default';
    const account = accounts.get(`${workload.metadata.namespace ?? ''}/${accountName}`);
    let field: { path: string; value: boolean | null; note?: string };
    if (spec.automountServiceAccountToken !== undefined) {
      if (!spec.automountServiceAccountToken) continue;
      field = { path: `${source.path}.automountServiceAccountToken`, value: true };
    } else if (account?.automountServiceAccountToken !== undefined) {
      if (!account.automountServiceAccountToken) continue;
      field = { path: `ServiceAccount/${accountName}:automountServiceAccountToken`, value: true, note: 'the pod does not say; its service account does' };
    } else {
      field = { path: `${source.path}.automountServiceAccountToken`, value: null, note: 'unset on the pod and its service account: defaults to true' };
    }
    const resourceId = objectRef(workload.kind, workload.metadata);
    hits.push({
      kind: workload.kind,
      metadata: workload.metadata,
      resourceId,
      severity: 'low',
      title: `${resourceId} mounts the token of service account ${accountName}`,
      evidence: { kind: workload.kind, namespace: workload.metadata.namespace ?? null, name: workload.metadata.name, serviceAccount: accountName, fields: [field] },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: view.owners.length, unit: 'workloads' } };
}

/**
 * CIS 5.1.6 with the API server's precedence: the pod's automountServiceAccountToken wins, else the service account's,
 * else true. So a pod saying false is compliant whatever its service account says (kube-bench 1.10 gets this wrong).
 */
export default defineCheck({
  id: ID,
  title: 'Service account tokens are mounted only where necessary',
  area: 'k8s',
  severity: 'low',
  description: 'Workloads whose pods get an API token mounted (pod setting, else service account setting, else the default true).',
  remediation: 'Set automountServiceAccountToken: false in the pod spec (or on its service account) unless the workload calls the API.',
  references: [...cis('5.1.6'), ...eks('4.1.6'), ...gke('4.1.5')],
  options: k8sOptionsSchema,
  needs: { cluster: clusterObjects },
  evaluate(data, options) {
    return findingsOf(ID, assess(data, options), options.exceptions);
  },
});
