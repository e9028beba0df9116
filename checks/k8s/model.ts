/**
 * The normalized Kubernetes inventory every k8s.* check evaluates. Collectors project raw API objects down to the
 * fields the controls read (see collect/normalize.ts): a 50,000-pod cluster must fit in memory, and literal env values
 * (which may hold secrets) are dropped at the edge, never carried into evaluation or evidence.
 */

export interface OwnerReference {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

export interface Capabilities {
  readonly add?: readonly string[];
  readonly drop?: readonly string[];
}

export interface SeccompProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}

export interface SecurityContext {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly runAsUser?: number;
  readonly runAsNonRoot?: boolean;
  readonly capabilities?: Capabilities;
  readonly seccompProfile?: SeccompProfile;
  readonly windowsOptions?: { readonly hostProcess?: boolean };
}

/** Only the reference survives normalization; literal values are dropped so no secret reaches the inventory. */
export interface EnvVar {
  readonly name: string;
  readonly secretKeyRef?: { readonly name?: string; readonly key?: string };
}

export interface EnvFrom {
  readonly secretRef?: { readonly name?: string };
}

export interface ContainerPort {
  readonly containerPort?: number;
  readonly hostPort?: number;
}

export interface Container {
  readonly name: string;
  readonly securityContext?: SecurityContext;
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFrom[];
}

export interface Volume {
  readonly name: string;
  readonly hostPath?: { readonly path: string };
}

export interface PodSpec {
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly hostNetwork?: boolean;
  readonly securityContext?: SecurityContext;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly os?: { readonly name?: string };
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
}

export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface Workload {
  readonly kind: WorkloadKind;
  readonly metadata: ObjectMeta;
  /** Deployment/ReplicaSet/StatefulSet replicas; 0 is a real value (scaled to zero), not "absent". */
  readonly replicas?: number;
  readonly podSpec: PodSpec;
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export interface RbacRole {
  readonly kind: 'Role' | 'ClusterRole';
  readonly metadata: ObjectMeta;
  readonly rules: readonly PolicyRule[];
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface RbacBinding {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly metadata: ObjectMeta;
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly Subject[];
}

export interface ServiceAccount {
  readonly metadata: ObjectMeta;
  readonly automountServiceAccountToken?: boolean;
}

/** Any other object seen (Service, ConfigMap, webhook configurations from dumps), kept by identity only. */
export interface OtherObject {
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

export interface ClusterInventory {
  /** Coverage scope that names this cluster (API server URL or dump paths); findings carry it. */
  readonly scope: string;
  readonly source: 'api' | 'dump' | 'none';
  readonly version?: { readonly gitVersion: string; readonly platform?: string };
  readonly namespaces: readonly { readonly metadata: ObjectMeta }[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly workloads: readonly Workload[];
  readonly roles: readonly RbacRole[];
  readonly bindings: readonly RbacBinding[];
  readonly networkPolicies: readonly { readonly metadata: ObjectMeta }[];
  readonly others: readonly OtherObject[];
}

/** A file on a node: octal permission bits and `user:group` as the node names them. */
export interface NodeFile {
  readonly path: string;
  readonly mode: number;
  readonly owner: string;
  readonly isDirectory: boolean;
}

export const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'kube-proxy'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface ComponentConfig {
  /** Where the settings were read from (a static-pod manifest, a systemd drop-in, /proc/<pid>/cmdline). */
  readonly source: string;
  /** `--flag` → value; a bare boolean flag reads 'true'. The last occurrence wins, as in the components' own parsers. */
  readonly flags: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Parsed config file (KubeletConfiguration, KubeProxyConfiguration) when the component uses one. */
  readonly config?: { readonly path: string; readonly value: unknown };
}

export interface NodeInventory {
  /** Coverage scope naming this node (its root directory); findings carry it. */
  readonly scope: string;
  readonly nodeName: string;
  /** Components found on the node; a worker has no kube-apiserver, which is not a failure. */
  readonly components: Readonly<Partial<Record<ComponentName, ComponentConfig>>>;
  /** Every file the file-permission controls may ask about, by absolute node path; missing files are absent. */
  readonly files: Readonly<Record<string, NodeFile>>;
  /** Contents of small config files controls parse (EncryptionConfiguration), by absolute node path. */
  readonly documents: Readonly<Record<string, unknown>>;
}

export function emptyCluster(scope: string, source: ClusterInventory['source']): ClusterInventory {
  return { scope, source, namespaces: [], serviceAccounts: [], workloads: [], roles: [], bindings: [], networkPolicies: [], others: [] };
}

/** `namespace/Kind/name` for namespaced objects, `Kind/name` for cluster-scoped ones: the finding's resource id. */
export function objectRef(kind: string, metadata: ObjectMeta): string {
  return metadata.namespace ? `${metadata.namespace}/${kind}/${metadata.name}` : `${kind}/${metadata.name}`;
}
