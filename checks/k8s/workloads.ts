import type { ClusterInventory, Container, PodSpec, Workload, WorkloadKind } from './model.js';
import type { SystemComponentMatcher } from './system-components.js';

/** Where a kind keeps its pod spec: the prefix of every evidence path. */
export const POD_SPEC_PATH: Readonly<Record<WorkloadKind, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** A pod spec to evaluate, with the path prefix its fields are reported under. */
export interface SpecSource {
  readonly spec: PodSpec;
  /** e.g. `spec.template.spec`, or `Pod/web-7d9c-abcde:spec` for a running pod's ephemeral containers. */
  readonly path: string;
  /** Only ephemeral containers: the template cannot hold them, so they are read from the owner's running pods. */
  readonly ephemeralOnly?: boolean;
}

/** The object findings are reported against: the top owner (Deployment over ReplicaSet over Pod, CronJob over Job). */
export interface OwningWorkload {
  readonly workload: Workload;
  readonly sources: readonly SpecSource[];
}

export interface WorkloadView {
  readonly owners: readonly OwningWorkload[];
  /** Allowlisted kube-system components, left out of evaluation and of the score. */
  readonly allowlisted: number;
}

/**
 * Groups the inventory by owning workload. Controllers are evaluated from their templates, so a Deployment scaled to
 * zero (no pods at all) is still checked; owned pods and ReplicaSets add nothing but ephemeral containers (added with
 * `kubectl debug`, never in a template), which are reported against the owner. Pods whose owner is not in the inventory
 * (static pods, custom controllers) are evaluated themselves.
 */
export function owningWorkloads(cluster: ClusterInventory, isSystem: SystemComponentMatcher): WorkloadView {
  // Fourteen pod-security controls and three others ask for the same grouping of one (immutable) inventory.
  const cached = VIEWS.get(cluster)?.get(isSystem.key);
  if (cached) return cached;
  const view = groupWorkloads(cluster, isSystem);
  let byKey = VIEWS.get(cluster);
  if (!byKey) VIEWS.set(cluster, (byKey = new Map()));
  byKey.set(isSystem.key, view);
  return view;
}

const VIEWS = new WeakMap<ClusterInventory, Map<string, WorkloadView>>();

function groupWorkloads(cluster: ClusterInventory, isSystem: SystemComponentMatcher): WorkloadView {
  const byKey = new Map<string, Workload>();
  const key = (kind: string, namespace: string | undefined, name: string) => `${kind}\0${namespace ?? ''}\0${name}`;
  for (const workload of cluster.workloads) byKey.set(key(workload.kind, workload.metadata.namespace, workload.metadata.name), workload);

  const controllerOf = (workload: Workload): Workload | undefined => {
    const refs = workload.metadata.ownerReferences ?? [];
    const ref = refs.find((r) => r.controller) ?? refs[0];
    return ref ? byKey.get(key(ref.kind, workload.metadata.namespace, ref.name)) : undefined;
  };
  const topOwner = (workload: Workload): Workload => {
    let current = workload;
    for (let depth = 0; depth < 4; depth++) {
      const owner = controllerOf(current);
      if (!owner) return current;
      current = owner;
    }
    return current;
  };

  const groups = new Map<Workload, SpecSource[]>();
  for (const workload of cluster.workloads) {
    const owner = topOwner(workload);
    let sources = groups.get(owner);
    if (!sources) groups.set(owner, (sources = []));
    if (owner === workload) {
      sources.unshift({ spec: workload.podSpec, path: POD_SPEC_PATH[workload.kind] });
    } else if (workload.kind === 'Pod' && workload.podSpec.ephemeralContainers?.length) {
      sources.push({ spec: workload.podSpec, path: `Pod/${workload.metadata.name}:spec`, ephemeralOnly: true });
    }
  }
  const owners: OwningWorkload[] = [];
  let allowlisted = 0;
  for (const [workload, sources] of groups) {
    if (isSystem(workload.kind, workload.metadata)) {
      allowlisted++;
      continue;
    }
    owners.push({ workload, sources });
  }
  owners.sort((a, b) => workloadRef(a.workload).localeCompare(workloadRef(b.workload)));
  return { owners, allowlisted };
}

export function workloadRef(workload: Workload): string {
  return `${workload.metadata.namespace ?? ''}/${workload.kind}/${workload.metadata.name}`;
}

export interface ContainerAt {
  readonly container: Container;
  readonly list: ContainerList;
  /** e.g. `spec.template.spec.initContainers[0]` */
  readonly path: string;
}

/** Every container of a source, init and ephemeral ones included, with its path. */
export function containersOf(source: SpecSource): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of CONTAINER_LISTS) {
    if (source.ephemeralOnly && list !== 'ephemeralContainers') continue;
    (source.spec[list] ?? []).forEach((container, index) => out.push({ container, list, path: `${source.path}.${list}[${index}]` }));
  }
  return out;
}
