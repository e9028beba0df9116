import { InventoryBuilder } from '../../checks/k8s/collect/normalize.js';
import type { ClusterInventory } from '../../checks/k8s/model.js';

/** Raw Kubernetes objects as the API serves them, built at test time; the inventory goes through real normalization. */
type Raw = Record<string, any>;

export const SCOPE = 'k8s:https://127.0.0.1:6443';

export function inventory(objects: readonly Raw[], version?: string): ClusterInventory {
  const builder = new InventoryBuilder(SCOPE, 'api');
  if (version) builder.setVersion({ gitVersion: version });
  for (const object of objects) builder.add(object);
  return builder.build();
}

let uid = 0;
const meta = (name: string, namespace: string | undefined, extra: Raw = {}) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${name}-${++uid}`, ...extra });

/** A safe container: passes every k8s.pods.* control. */
export function safeContainer(name = 'app', extra: Raw = {}): Raw {
  return {
    name,
    image: 'registry.example/app:1',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...(extra.securityContext ?? {}) },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'securityContext')),
  };
}

export function safePodSpec(extra: Raw = {}): Raw {
  return { automountServiceAccountToken: false, serviceAccountName: 'app', containers: [safeContainer()], ...extra };
}

export function namespace(name: string, labels: Record<string, string> = {}): Raw {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, { labels }) };
}

export function deployment(name: string, spec: Raw, options: { namespace?: string; replicas?: number; labels?: Record<string, string> } = {}): Raw {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, options.namespace ?? 'prod', options.labels ? { labels: options.labels } : {}),
    spec: { replicas: options.replicas ?? 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

export function cronJob(name: string, spec: Raw, ns = 'prod'): Raw {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(name, ns), spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec } } } } };
}

export function workload(kind: string, name: string, spec: Raw, ns = 'prod', owner?: { kind: string; name: string }): Raw {
  const podSpec = kind === 'Pod' ? spec : undefined;
  return {
    kind,
    metadata: meta(name, ns, owner ? { ownerReferences: [{ apiVersion: 'v1', kind: owner.kind, name: owner.name, uid: 'x', controller: true }] } : {}),
    spec: podSpec ?? { template: { spec } },
  };
}

export function pod(name: string, spec: Raw, ns = 'prod', owner?: { kind: string; name: string }): Raw {
  return workload('Pod', name, spec, ns, owner);
}

export function serviceAccount(name: string, ns: string, automount?: boolean): Raw {
  return { kind: 'ServiceAccount', metadata: meta(name, ns), ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}) };
}

export const BUILT_IN = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

export function clusterRole(name: string, rules: Raw[], labels?: Record<string, string>): Raw {
  return { kind: 'ClusterRole', metadata: meta(name, undefined, labels ? { labels } : {}), rules };
}

export function role(name: string, ns: string, rules: Raw[]): Raw {
  return { kind: 'Role', metadata: meta(name, ns), rules };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: Raw[], labels?: Record<string, string>): Raw {
  return { kind: 'ClusterRoleBinding', metadata: meta(name, undefined, labels ? { labels } : {}), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects };
}

export function roleBinding(name: string, ns: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Raw[]): Raw {
  return { kind: 'RoleBinding', metadata: meta(name, ns), roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects };
}

export const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
export const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
export const sa = (name: string, ns: string) => ({ kind: 'ServiceAccount', name, namespace: ns });

export function networkPolicy(name: string, ns: string): Raw {
  return { kind: 'NetworkPolicy', metadata: meta(name, ns), spec: { podSelector: {}, policyTypes: ['Ingress'] } };
}
