import type { ObjectMeta } from './model.js';

/**
 * Known system components that run in kube-system by design (host network, privileged, hostPath). They are allowlisted
 * by kind and name, not by namespace: anything else in kube-system is checked like any workload, because an intruder's
 * favourite hiding place is the namespace scanners skip. Jobs extend the list with `systemComponents`.
 */
export const SYSTEM_COMPONENTS: readonly string[] = [
  // kubeadm static pods (mirror pods carry the node name as a suffix)
  'Pod/kube-apiserver-*',
  'Pod/kube-controller-manager-*',
  'Pod/kube-scheduler-*',
  'Pod/etcd-*',
  'DaemonSet/kube-proxy',
  'Deployment/coredns',
  'Deployment/metrics-server',
  // CNI and CSI node agents
  'DaemonSet/calico-node',
  'Deployment/calico-kube-controllers',
  'DaemonSet/cilium',
  'DaemonSet/cilium-envoy',
  'Deployment/cilium-operator',
  'DaemonSet/kube-flannel-ds',
  'DaemonSet/kindnet',
  'DaemonSet/weave-net',
  'DaemonSet/aws-node',
  'DaemonSet/ebs-csi-node',
  'DaemonSet/efs-csi-node',
  'DaemonSet/azure-cns',
  'DaemonSet/cloud-node-manager',
  'DaemonSet/csi-azuredisk-node',
  'DaemonSet/csi-azurefile-node',
  'DaemonSet/pdcsi-node',
  'DaemonSet/gke-metadata-server',
  'DaemonSet/netd',
  'DaemonSet/konnectivity-agent',
  'Deployment/konnectivity-agent',
  // RBAC objects distributions create for those components without the rbac-defaults label
  'ClusterRoleBinding/kubeadm:*',
  'ClusterRole/kubeadm:*',
  'RoleBinding/kubeadm:*',
  'Role/kubeadm:*',
  'ClusterRoleBinding/system:coredns',
  'ClusterRole/system:coredns',
  'ClusterRoleBinding/eks:*',
  'ClusterRole/eks:*',
  'RoleBinding/eks:*',
  'Role/eks:*',
  'ClusterRoleBinding/calico-node',
  'ClusterRole/calico-node',
  'ClusterRoleBinding/calico-kube-controllers',
  'ClusterRole/calico-kube-controllers',
  'ClusterRoleBinding/cilium',
  'ClusterRole/cilium',
  'ClusterRoleBinding/cilium-operator',
  'ClusterRole/cilium-operator',
  'ClusterRoleBinding/aws-node',
  'ClusterRole/aws-node',
];

const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);

export interface SystemComponentMatcher {
  (kind: string, metadata: ObjectMeta): boolean;
  /** Identifies the allowlist, so views computed with it can be cached per inventory. */
  readonly key: string;
}

/** Namespaced entries match only in kube-system; cluster-scoped RBAC entries match by name. */
export function systemComponentMatcher(extra: readonly string[] = []): SystemComponentMatcher {
  const entries = [...SYSTEM_COMPONENTS, ...extra].map((entry) => {
    const slash = entry.indexOf('/');
    return { kind: entry.slice(0, slash), name: globRegExp(entry.slice(slash + 1)) };
  });
  const matcher = (kind: string, metadata: ObjectMeta) => {
    if (!CLUSTER_SCOPED.has(kind) && metadata.namespace !== 'kube-system') return false;
    return entries.some((entry) => entry.kind === kind && entry.name.test(metadata.name));
  };
  return Object.assign(matcher, { key: extra.join('\n') });
}

/** `*` matches any run of characters; everything else is literal. */
export function globRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
