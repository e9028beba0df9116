import type {
  ClusterInventory,
  Container,
  ObjectMeta,
  PodSpec,
  PolicyRule,
  RbacBinding,
  RbacRole,
  SecurityContext,
  ServiceAccount,
  Workload,
  WorkloadKind,
} from '../model.js';

type Raw = Record<string, any>;

/**
 * Projects raw API objects (from the API or from dumps) onto the inventory model, one object at a time, so a page of
 * pods is dropped as soon as it is read. Unknown kinds are kept by identity only. Literal env values never survive.
 */
export class InventoryBuilder {
  private readonly namespaces: { metadata: ObjectMeta }[] = [];
  private readonly serviceAccounts: ServiceAccount[] = [];
  private readonly workloads: Workload[] = [];
  private readonly roles: RbacRole[] = [];
  private readonly bindings: RbacBinding[] = [];
  private readonly networkPolicies: { metadata: ObjectMeta }[] = [];
  private readonly others: { kind: string; metadata: ObjectMeta }[] = [];
  private readonly seen = new Set<string>();
  /** Replicas of one template project to identical specs; sharing one object keeps 50,000 pods small. */
  private readonly specs = new Map<string, PodSpec>();
  private version: ClusterInventory['version'];

  constructor(
    private readonly scope: string,
    private readonly source: ClusterInventory['source'],
  ) {}

  setVersion(raw: Raw): void {
    if (typeof raw?.gitVersion === 'string') this.version = { gitVersion: raw.gitVersion, ...(typeof raw.platform === 'string' ? { platform: raw.platform } : {}) };
  }

  /** Adds one object; `kind` is needed for list items, which the API serves without their own kind. */
  add(raw: Raw, kind: string = raw?.kind): void {
    if (!raw || typeof raw !== 'object' || typeof kind !== 'string') return;
    if (kind.endsWith('List') && Array.isArray(raw.items)) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -4);
      for (const item of raw.items) this.add(item, item?.kind ?? itemKind);
      return;
    }
    if (!raw.metadata?.name) return;
    const metadata = meta(raw.metadata);
    // Two dumps of one cluster (or a manifest beside a List) must not double-count an object.
    const identity = `${kind}\0${metadata.namespace ?? ''}\0${metadata.name}`;
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    switch (kind) {
      case 'Namespace':
        this.namespaces.push({ metadata });
        return;
      case 'ServiceAccount':
        this.serviceAccounts.push({ metadata, ...(typeof raw.automountServiceAccountToken === 'boolean' ? { automountServiceAccountToken: raw.automountServiceAccountToken } : {}) });
        return;
      case 'Role':
      case 'ClusterRole':
        this.roles.push({ kind, metadata, rules: (raw.rules ?? []).map(rule) });
        return;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        this.bindings.push({
          kind,
          metadata,
          roleRef: { kind: String(raw.roleRef?.kind ?? ''), name: String(raw.roleRef?.name ?? '') },
          subjects: (raw.subjects ?? []).map((s: Raw) => ({ kind: String(s.kind), name: String(s.name), ...(s.namespace ? { namespace: String(s.namespace) } : {}) })),
        });
        return;
      case 'NetworkPolicy':
        this.networkPolicies.push({ metadata });
        return;
    }
    const spec = podSpecOf(kind, raw);
    if (spec) {
      const replicas = typeof raw.spec?.replicas === 'number' ? raw.spec.replicas : undefined;
      this.workloads.push({ kind: kind as WorkloadKind, metadata, podSpec: this.intern(podSpec(spec)), ...(replicas !== undefined ? { replicas } : {}) });
      return;
    }
    this.others.push({ kind, metadata });
  }

  private intern(spec: PodSpec): PodSpec {
    const key = JSON.stringify(spec);
    const existing = this.specs.get(key);
    if (existing) return existing;
    this.specs.set(key, spec);
    return spec;
  }

  build(): ClusterInventory {
    this.specs.clear();
    // Lists arrive concurrently and dumps in any file order; sorted, the same cluster is the same inventory.
    const byIdentity = <T extends { metadata: ObjectMeta; kind?: string }>(items: T[]) =>
      items.sort((a, b) => compare(a.kind ?? '', b.kind ?? '') || compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compare(a.metadata.name, b.metadata.name));
    return {
      scope: this.scope,
      source: this.source,
      ...(this.version ? { version: this.version } : {}),
      namespaces: byIdentity(this.namespaces),
      serviceAccounts: byIdentity(this.serviceAccounts),
      workloads: byIdentity(this.workloads),
      roles: byIdentity(this.roles),
      bindings: byIdentity(this.bindings),
      networkPolicies: byIdentity(this.networkPolicies),
      others: byIdentity(this.others),
    };
  }
}

function podSpecOf(kind: string, raw: Raw): Raw | undefined {
  switch (kind) {
    case 'Pod':
      return raw.spec;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
      return raw.spec?.template?.spec;
    case 'CronJob':
      return raw.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

function meta(raw: Raw): ObjectMeta {
  return {
    name: String(raw.name),
    ...(raw.namespace ? { namespace: String(raw.namespace) } : {}),
    ...(raw.uid ? { uid: String(raw.uid) } : {}),
    ...(raw.labels && typeof raw.labels === 'object' ? { labels: raw.labels } : {}),
    ...(Array.isArray(raw.ownerReferences) && raw.ownerReferences.length > 0
      ? {
          ownerReferences: raw.ownerReferences.map((o: Raw) => ({
            kind: String(o.kind),
            name: String(o.name),
            ...(o.uid ? { uid: String(o.uid) } : {}),
            ...(o.controller === true ? { controller: true } : {}),
          })),
        }
      : {}),
  };
}

function rule(raw: Raw): PolicyRule {
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
  const out: { -readonly [K in keyof PolicyRule]: PolicyRule[K] } = { verbs: list(raw.verbs) ?? [] };
  const apiGroups = list(raw.apiGroups);
  const resources = list(raw.resources);
  const resourceNames = list(raw.resourceNames);
  const nonResourceURLs = list(raw.nonResourceURLs);
  if (apiGroups) out.apiGroups = apiGroups;
  if (resources) out.resources = resources;
  if (resourceNames) out.resourceNames = resourceNames;
  if (nonResourceURLs) out.nonResourceURLs = nonResourceURLs;
  return out;
}

function securityContext(raw: Raw | undefined): SecurityContext | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ['privileged', 'allowPrivilegeEscalation', 'runAsNonRoot'] as const) if (typeof raw[key] === 'boolean') out[key] = raw[key];
  if (typeof raw.runAsUser === 'number') out.runAsUser = raw.runAsUser;
  if (raw.capabilities) {
    out.capabilities = {
      ...(Array.isArray(raw.capabilities.add) ? { add: raw.capabilities.add.map(String) } : {}),
      ...(Array.isArray(raw.capabilities.drop) ? { drop: raw.capabilities.drop.map(String) } : {}),
    };
  }
  if (raw.seccompProfile?.type) out.seccompProfile = { type: String(raw.seccompProfile.type) };
  if (typeof raw.windowsOptions?.hostProcess === 'boolean') out.windowsOptions = { hostProcess: raw.windowsOptions.hostProcess };
  return out as SecurityContext;
}

function container(raw: Raw): Container {
  const sc = securityContext(raw.securityContext);
  return {
    name: String(raw.name ?? ''),
    ...(sc ? { securityContext: sc } : {}),
    ...(Array.isArray(raw.ports) ? { ports: raw.ports.map((p: Raw) => ({ ...(typeof p.containerPort === 'number' ? { containerPort: p.containerPort } : {}), ...(typeof p.hostPort === 'number' ? { hostPort: p.hostPort } : {}) })) } : {}),
    // Index positions are kept (they are evidence paths); values are not (they may be secrets).
    ...(Array.isArray(raw.env)
      ? {
          env: raw.env.map((e: Raw) => ({
            name: String(e.name),
            ...(e.valueFrom?.secretKeyRef ? { secretKeyRef: { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } } : {}),
          })),
        }
      : {}),
    ...(Array.isArray(raw.envFrom) ? { envFrom: raw.envFrom.map((e: Raw) => (e.secretRef ? { secretRef: { name: e.secretRef.name } } : {})) } : {}),
  };
}

function podSpec(raw: Raw): PodSpec {
  const sc = securityContext(raw.securityContext);
  const containers = (value: unknown) => (Array.isArray(value) ? value.map(container) : undefined);
  const init = containers(raw.initContainers);
  const ephemeral = containers(raw.ephemeralContainers);
  return {
    ...(raw.hostPID === true ? { hostPID: true } : {}),
    ...(raw.hostIPC === true ? { hostIPC: true } : {}),
    ...(raw.hostNetwork === true ? { hostNetwork: true } : {}),
    ...(sc ? { securityContext: sc } : {}),
    ...(raw.serviceAccountName ? { serviceAccountName: String(raw.serviceAccountName) } : raw.serviceAccount ? { serviceAccountName: String(raw.serviceAccount) } : {}),
    ...(typeof raw.automountServiceAccountToken === 'boolean' ? { automountServiceAccountToken: raw.automountServiceAccountToken } : {}),
    ...(raw.os?.name ? { os: { name: String(raw.os.name) } } : {}),
    containers: containers(raw.containers) ?? [],
    ...(init ? { initContainers: init } : {}),
    ...(ephemeral ? { ephemeralContainers: ephemeral } : {}),
    ...(Array.isArray(raw.volumes) ? { volumes: raw.volumes.map((v: Raw) => ({ name: String(v.name), ...(v.hostPath?.path ? { hostPath: { path: String(v.hostPath.path) } } : {}) })) } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
