import type { JsonValue, Severity } from '../../src/check-api/types.js';
import { severityRank } from '../../src/check-api/types.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { type ControlAssessment, type ControlHit } from './control-result.js';
import { objectRef, type ClusterInventory, type PodSpec } from './model.js';
import { defineK8sControlCheck, type K8sControlMeta } from './control-check.js';
import type { K8sOptions } from './options.js';
import { systemComponentMatcher } from './system-components.js';
import { containersOf, owningWorkloads, type ContainerAt, type SpecSource } from './workloads.js';

/** One offending field: its path from the owning object's root, the value found, and why when it is not obvious. */
export interface Violation {
  readonly path: string;
  readonly value: JsonValue;
  readonly note?: string;
  /** Lower than the control's severity when the field is merely unset (the runtime default applies). */
  readonly severity?: Severity;
}

export interface PodSecurityControl extends K8sControlMeta {
  /** Completes "<workload> ..." in the finding title. */
  readonly verdict: string;
  readonly references: ReturnType<typeof cis>;
  /** Linux-only settings (capabilities, seccomp, users) say nothing about Windows pods. */
  readonly linuxOnly?: boolean;
  readonly pod?: (spec: PodSpec, path: string) => Violation[];
  readonly container?: (at: ContainerAt, spec: PodSpec) => Violation[];
}

const SECCOMP_CONFINED = new Set(['RuntimeDefault', 'Localhost']);

const sc = (at: ContainerAt) => at.container.securityContext;
const adds = (at: ContainerAt) => sc(at)?.capabilities?.add ?? [];
const drops = (at: ContainerAt) => sc(at)?.capabilities?.drop ?? [];
const privileged = (at: ContainerAt): Violation[] => (sc(at)?.privileged === true ? [{ path: `${at.path}.securityContext.privileged`, value: true }] : []);
const addedCap = (at: ContainerAt, caps: readonly string[], note: string): Violation[] =>
  adds(at).flatMap((cap, index) => (caps.includes(normalizeCap(cap)) ? [{ path: `${at.path}.securityContext.capabilities.add[${index}]`, value: cap, note }] : []));

/** `CAP_NET_RAW` and `net_raw` name the same capability as `NET_RAW`. */
function normalizeCap(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, '');
}

/**
 * CIS section 5.2 (and 5.4.1, 5.6.2): pod security over the running state, as one table. Every control reads all
 * containers (containers, initContainers, ephemeralContainers) of every owning workload, templates included, so a
 * Deployment scaled to zero is still judged and a privileged init container is not missed.
 */
export const POD_SECURITY_CONTROLS = [
  {
    id: 'k8s.pods.privileged-containers',
    title: 'Workloads run no privileged containers',
    verdict: 'runs a privileged container',
    severity: 'high',
    description: 'A privileged container has every capability and all host devices: it is root on the node.',
    remediation: 'Remove securityContext.privileged (or set it to false) and grant only the specific capabilities the container needs.',
    references: [...cis('5.2.2'), ...eks('4.2.1')],
    container: privileged,
  },
  {
    id: 'k8s.pods.host-pid',
    title: "Workloads do not share the host's PID namespace",
    verdict: "shares the host's PID namespace",
    severity: 'high',
    description: 'hostPID lets the pod see and signal every process on the node, and read their environment.',
    remediation: 'Remove spec.hostPID (or set it to false).',
    references: [...cis('5.2.3'), ...eks('4.2.2')],
    pod: (spec, path) => (spec.hostPID ? [{ path: `${path}.hostPID`, value: true }] : []),
  },
  {
    id: 'k8s.pods.host-ipc',
    title: "Workloads do not share the host's IPC namespace",
    verdict: "shares the host's IPC namespace",
    severity: 'high',
    description: 'hostIPC exposes shared memory of every process on the node.',
    remediation: 'Remove spec.hostIPC (or set it to false).',
    references: [...cis('5.2.4'), ...eks('4.2.3')],
    pod: (spec, path) => (spec.hostIPC ? [{ path: `${path}.hostIPC`, value: true }] : []),
  },
  {
    id: 'k8s.pods.host-network',
    title: "Workloads do not share the host's network namespace",
    verdict: "shares the host's network namespace",
    severity: 'medium',
    description: 'hostNetwork bypasses NetworkPolicy and lets the pod bind and sniff node interfaces, including loopback services.',
    remediation: 'Remove spec.hostNetwork; expose the workload through a Service instead.',
    references: [...cis('5.2.5'), ...eks('4.2.4')],
    pod: (spec, path) => (spec.hostNetwork ? [{ path: `${path}.hostNetwork`, value: true }] : []),
  },
  {
    id: 'k8s.pods.privilege-escalation',
    title: 'Containers cannot gain more privileges than their parent process',
    verdict: 'allows privilege escalation',
    severity: 'medium',
    description: 'allowPrivilegeEscalation (true when unset, always true for privileged or CAP_SYS_ADMIN containers) lets setuid binaries gain privileges.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral containers included.',
    references: [...cis('5.2.6'), ...eks('4.2.5')],
    container: (at) => {
      if (sc(at)?.allowPrivilegeEscalation === true) return [{ path: `${at.path}.securityContext.allowPrivilegeEscalation`, value: true }];
      const implied = [...privileged(at).map((v) => ({ ...v, note: 'privileged containers always allow privilege escalation' })), ...addedCap(at, ['SYS_ADMIN', 'ALL'], 'CAP_SYS_ADMIN implies privilege escalation')];
      if (implied.length) return implied;
      if (sc(at)?.allowPrivilegeEscalation === undefined) {
        return [{ path: `${at.path}.securityContext.allowPrivilegeEscalation`, value: null, note: 'unset: the runtime default allows escalation', severity: 'low' }];
      }
      return [];
    },
  },
  {
    id: 'k8s.pods.root-containers',
    title: 'Containers do not run as root',
    verdict: 'may run containers as root',
    severity: 'medium',
    description: 'Effective runAsUser (container, else pod) is 0, or unset without runAsNonRoot: true, so the image decides and is often root.',
    remediation: 'Set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext.',
    references: cis('5.2.7'),
    linuxOnly: true,
    container: (at, spec) => {
      const containerUser = sc(at)?.runAsUser;
      const user = containerUser ?? spec.securityContext?.runAsUser;
      if (user === 0) return [{ path: containerUser === 0 ? `${at.path}.securityContext.runAsUser` : `${podPath(at)}.securityContext.runAsUser`, value: 0 }];
      if (user !== undefined) return [];
      const nonRoot = sc(at)?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      if (nonRoot === true) return [];
      return [{ path: `${at.path}.securityContext.runAsNonRoot`, value: nonRoot ?? null, note: 'no runAsUser and no runAsNonRoot: true: the image user applies', severity: 'low' }];
    },
  },
  {
    id: 'k8s.pods.net-raw',
    title: 'Containers do not hold NET_RAW',
    verdict: 'keeps the NET_RAW capability',
    severity: 'medium',
    description: 'Runtimes grant NET_RAW by default; it enables ARP and DNS spoofing inside the node network. It is held unless ALL or NET_RAW is dropped.',
    remediation: "Add capabilities.drop: ['ALL'] (or at least NET_RAW) and do not add NET_RAW back.",
    references: cis('5.2.8'),
    linuxOnly: true,
    container: (at) => {
      const explicit = [...privileged(at), ...addedCap(at, ['NET_RAW', 'ALL'], 'added explicitly')];
      if (explicit.length) return explicit;
      if (drops(at).map(normalizeCap).some((cap) => cap === 'ALL' || cap === 'NET_RAW')) return [];
      return [{ path: `${at.path}.securityContext.capabilities.drop`, value: [...drops(at)], note: 'neither ALL nor NET_RAW dropped: the runtime default keeps NET_RAW' }];
    },
  },
  {
    id: 'k8s.pods.added-capabilities',
    title: 'Containers add no capabilities beyond NET_BIND_SERVICE',
    verdict: 'adds Linux capabilities',
    severity: 'medium',
    description: 'CIS 1.10 5.2.9 (dropped in 1.12, kept because added capabilities are still the fastest path to node compromise).',
    remediation: 'Remove capabilities.add entries; NET_BIND_SERVICE is the only one the restricted Pod Security Standard allows.',
    references: cis(undefined, '5.2.9'),
    linuxOnly: true,
    container: (at) => adds(at).flatMap((cap, index) => (normalizeCap(cap) === 'NET_BIND_SERVICE' ? [] : [{ path: `${at.path}.securityContext.capabilities.add[${index}]`, value: cap }])),
  },
  {
    id: 'k8s.pods.capabilities-not-dropped',
    title: 'Containers drop all capabilities',
    verdict: 'does not drop ALL capabilities',
    severity: 'low',
    description: "Without capabilities.drop: ['ALL'] a container keeps the runtime's default capability set.",
    remediation: "Add capabilities.drop: ['ALL'] and add back only what is needed.",
    references: cis('5.2.9', '5.2.10'),
    linuxOnly: true,
    container: (at) => (drops(at).map(normalizeCap).includes('ALL') ? [] : [{ path: `${at.path}.securityContext.capabilities.drop`, value: [...drops(at)] }]),
  },
  {
    id: 'k8s.pods.host-process',
    title: 'No Windows HostProcess containers',
    verdict: 'runs a Windows HostProcess container',
    severity: 'high',
    description: 'A HostProcess container runs directly on the Windows host with host privileges.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess from the pod and its containers.',
    references: cis('5.2.10', '5.2.11'),
    pod: (spec, path) => (spec.securityContext?.windowsOptions?.hostProcess ? [{ path: `${path}.securityContext.windowsOptions.hostProcess`, value: true }] : []),
    container: (at) => (sc(at)?.windowsOptions?.hostProcess ? [{ path: `${at.path}.securityContext.windowsOptions.hostProcess`, value: true }] : []),
  },
  {
    id: 'k8s.pods.host-path-volumes',
    title: 'Workloads mount no hostPath volumes',
    verdict: 'mounts a hostPath volume',
    severity: 'medium',
    description: 'hostPath volumes expose node files (the container runtime socket, kubelet credentials) to the pod.',
    remediation: 'Replace hostPath volumes with persistent volumes, ConfigMaps, Secrets or emptyDir.',
    references: cis('5.2.11', '5.2.12'),
    pod: (spec, path) => (spec.volumes ?? []).flatMap((volume, index) => (volume.hostPath ? [{ path: `${path}.volumes[${index}].hostPath.path`, value: volume.hostPath.path }] : [])),
  },
  {
    id: 'k8s.pods.host-ports',
    title: 'Containers bind no host ports',
    verdict: 'binds a host port',
    severity: 'low',
    description: 'hostPort opens a port on the node, bypassing Services and NetworkPolicy. On hostNetwork pods the API fills hostPort from containerPort, which host-network already reports.',
    remediation: 'Remove ports[].hostPort and expose the workload through a Service.',
    references: cis('5.2.12', '5.2.13'),
    container: (at, spec) =>
      (at.container.ports ?? []).flatMap((port, index) =>
        port.hostPort && port.hostPort > 0 && !(spec.hostNetwork && port.hostPort === port.containerPort) ? [{ path: `${at.path}.ports[${index}].hostPort`, value: port.hostPort }] : [],
      ),
  },
  {
    id: 'k8s.pods.seccomp-profile',
    title: 'Containers run with a seccomp profile',
    verdict: 'runs without a seccomp profile',
    severity: 'low',
    description: 'Effective seccompProfile.type (container, else pod) must be RuntimeDefault or Localhost; unset means Unconfined unless the kubelet sets seccompDefault.',
    remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault in the pod spec.',
    references: [...cis('5.6.2', '5.7.2'), ...gke('4.6.2')],
    linuxOnly: true,
    container: (at, spec) => {
      const own = sc(at)?.seccompProfile?.type;
      const type = own ?? spec.securityContext?.seccompProfile?.type;
      if (type && SECCOMP_CONFINED.has(type)) return [];
      const path = own ? `${at.path}.securityContext.seccompProfile.type` : type ? `${podPath(at)}.securityContext.seccompProfile.type` : `${at.path}.securityContext.seccompProfile`;
      return [{ path, value: type ?? null }];
    },
  },
  {
    id: 'k8s.pods.secrets-in-env',
    title: 'Secrets are mounted as files, not environment variables',
    verdict: 'passes secrets through environment variables',
    severity: 'low',
    description: 'Secrets in env leak through logs, crash dumps and child processes. Read from pod specs only: no access to Secret objects is needed.',
    remediation: 'Mount the secret as a volume and read the file; remove env[].valueFrom.secretKeyRef and envFrom[].secretRef.',
    references: [...cis('5.4.1'), ...eks('4.4.1'), ...gke('4.4.1')],
    container: (at) => [
      ...(at.container.env ?? []).flatMap((env, index) =>
        env.secretKeyRef ? [{ path: `${at.path}.env[${index}].valueFrom.secretKeyRef`, value: `${env.secretKeyRef.name ?? ''}/${env.secretKeyRef.key ?? ''}` }] : [],
      ),
      ...(at.container.envFrom ?? []).flatMap((from, index) => (from.secretRef ? [{ path: `${at.path}.envFrom[${index}].secretRef`, value: from.secretRef.name ?? '' }] : [])),
    ],
  },
] as const satisfies readonly PodSecurityControl[];

/** The pod-level path a container's path starts with (`...spec.containers[0]` → `...spec`). */
function podPath(at: ContainerAt): string {
  return at.path.slice(0, at.path.lastIndexOf(`.${at.list}[`));
}

export function violationsOf(control: PodSecurityControl, sources: readonly SpecSource[]): Violation[] {
  const out: Violation[] = [];
  for (const source of sources) {
    if (control.linuxOnly && source.spec.os?.name === 'windows') continue;
    if (control.pod && !source.ephemeralOnly) out.push(...control.pod(source.spec, source.path));
    if (control.container) for (const at of containersOf(source)) out.push(...control.container(at, source.spec));
  }
  return out;
}

function definePodSecurityCheck(control: PodSecurityControl) {
  return defineK8sControlCheck(control, { cluster: clusterObjects }, (data, options) => assessPodSecurity(control, data, options));
}

/** One pod-security control's verdict over one collection (evaluate and `audit k8s-score` share it). */
export function assessPodSecurity(control: PodSecurityControl, { cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const view = owningWorkloads(cluster, systemComponentMatcher(options.systemComponents));
  const hits: ControlHit[] = [];
  for (const { workload, sources } of view.owners) {
    const violations = violationsOf(control, sources);
    if (violations.length === 0) continue;
    const severity = violations.reduce<Severity>((max, v) => (severityRank(v.severity ?? control.severity) > severityRank(max) ? (v.severity ?? control.severity) : max), 'info');
    const resourceId = objectRef(workload.kind, workload.metadata);
    hits.push({
      kind: workload.kind,
      metadata: workload.metadata,
      resourceId,
      title: `${resourceId} ${control.verdict} (${violations[0]!.path}${violations.length > 1 ? ` and ${violations.length - 1} more` : ''})`,
      severity,
      evidence: {
        kind: workload.kind,
        namespace: workload.metadata.namespace ?? null,
        name: workload.metadata.name,
        ...(workload.replicas !== undefined ? { replicas: workload.replicas } : {}),
        fields: violations.map((v) => ({ path: v.path, value: v.value, ...(v.note ? { note: v.note } : {}) })),
      },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total: view.owners.length, unit: 'workloads' } };
}

export const podSecurityChecks = POD_SECURITY_CONTROLS.map(definePodSecurityCheck);
