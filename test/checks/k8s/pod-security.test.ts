import { describe, expect, it } from 'vitest';
import { podSecurityChecks, POD_SECURITY_CONTROLS } from '../../../checks/k8s/pod-security.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester, type ExpectedFinding } from '../../support/check-tester.js';
import { cronJob, deployment, inventory, namespace, pod, safeContainer, safePodSpec, workload } from '../../builders/k8s.js';

type Raw = Record<string, any>;
const base = [namespace('prod'), deployment('web', safePodSpec())];
const bare = (securityContext: Raw, extra: Raw = {}) => ({ name: 'app', image: 'app:1', securityContext, ...extra });

interface RowCases {
  readonly pass: readonly { name: string; objects: Raw[] }[];
  readonly fail: readonly { name: string; objects: Raw[]; findings: ExpectedFinding[] }[];
}

const CASES: Record<(typeof POD_SECURITY_CONTROLS)[number]['id'], RowCases> = {
  'k8s.pods.privileged-containers': {
    pass: [
      { name: 'safe workloads only', objects: base },
      { name: 'allowlisted kube-proxy in kube-system', objects: [...base, workload('DaemonSet', 'kube-proxy', safePodSpec({ containers: [safeContainer('kube-proxy', { securityContext: { privileged: true } })] }), 'kube-system')] },
    ],
    fail: [
      {
        name: 'privileged init container in a Deployment scaled to zero',
        objects: [...base, deployment('batch', safePodSpec({ initContainers: [safeContainer('init', { securityContext: { privileged: true } })] }), { replicas: 0 })],
        findings: [{ resourceId: 'prod/Deployment/batch', severity: 'high', title: 'spec.template.spec.initContainers[0].securityContext.privileged' }],
      },
      {
        name: 'privileged ephemeral container on a pod is reported against its Deployment',
        objects: [
          ...base,
          deployment('api', safePodSpec()),
          workload('ReplicaSet', 'api-7d9', safePodSpec(), 'prod', { kind: 'Deployment', name: 'api' }),
          pod('api-7d9-x2', safePodSpec({ ephemeralContainers: [safeContainer('debugger', { securityContext: { privileged: true } })] }), 'prod', { kind: 'ReplicaSet', name: 'api-7d9' }),
        ],
        findings: [{ resourceId: 'prod/Deployment/api', severity: 'high', title: 'Pod/api-7d9-x2:spec.ephemeralContainers[0].securityContext.privileged' }],
      },
      {
        name: 'CronJob template path',
        objects: [...base, cronJob('report', safePodSpec({ containers: [safeContainer('r', { securityContext: { privileged: true } })] }))],
        findings: [{ resourceId: 'prod/CronJob/report', severity: 'high', title: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged' }],
      },
      {
        name: 'an unknown DaemonSet in kube-system is checked',
        objects: [...base, workload('DaemonSet', 'kube-proxy-helper', safePodSpec({ containers: [safeContainer('x', { securityContext: { privileged: true } })] }), 'kube-system')],
        findings: [{ resourceId: 'kube-system/DaemonSet/kube-proxy-helper', severity: 'high' }],
      },
    ],
  },
  'k8s.pods.host-pid': {
    pass: [{ name: 'no host namespaces', objects: base }],
    fail: [{ name: 'standalone Job with hostPID', objects: [...base, workload('Job', 'dump', safePodSpec({ hostPID: true }))], findings: [{ resourceId: 'prod/Job/dump', severity: 'high', title: 'spec.template.spec.hostPID' }] }],
  },
  'k8s.pods.host-ipc': {
    pass: [{ name: 'no host IPC', objects: base }],
    fail: [{ name: 'bare pod with hostIPC', objects: [...base, pod('shm', safePodSpec({ hostIPC: true }))], findings: [{ resourceId: 'prod/Pod/shm', severity: 'high', title: '(spec.hostIPC)' }] }],
  },
  'k8s.pods.host-network': {
    pass: [
      { name: 'no host network', objects: base },
      { name: 'allowlisted static etcd pod', objects: [...base, pod('etcd-cp-1', safePodSpec({ hostNetwork: true }), 'kube-system', { kind: 'Node', name: 'cp-1' })] },
    ],
    fail: [{ name: 'DaemonSet on the host network', objects: [...base, workload('DaemonSet', 'agent', safePodSpec({ hostNetwork: true }))], findings: [{ resourceId: 'prod/DaemonSet/agent', severity: 'medium' }] }],
  },
  'k8s.pods.privilege-escalation': {
    pass: [{ name: 'explicit false everywhere', objects: base }],
    fail: [
      { name: 'explicit true', objects: [...base, deployment('esc', safePodSpec({ containers: [safeContainer('a', { securityContext: { allowPrivilegeEscalation: true } })] }))], findings: [{ resourceId: 'prod/Deployment/esc', severity: 'medium' }] },
      { name: 'unset is a lower-severity finding', objects: [...base, deployment('unset', safePodSpec({ containers: [bare({ runAsNonRoot: true, capabilities: { drop: ['ALL'] } })] }))], findings: [{ resourceId: 'prod/Deployment/unset', severity: 'low', title: 'securityContext.allowPrivilegeEscalation' }] },
      { name: 'CAP_SYS_ADMIN implies escalation', objects: [...base, deployment('sysadmin', safePodSpec({ containers: [safeContainer('a', { securityContext: { allowPrivilegeEscalation: undefined, capabilities: { drop: ['ALL'], add: ['CAP_SYS_ADMIN'] } } })] }))], findings: [{ resourceId: 'prod/Deployment/sysadmin', severity: 'medium', title: 'capabilities.add[0]' }] },
    ],
  },
  'k8s.pods.root-containers': {
    pass: [
      { name: 'non-root users', objects: base },
      { name: 'pod-level runAsNonRoot covers containers', objects: [...base, deployment('podlevel', { securityContext: { runAsNonRoot: true }, containers: [bare({})] })] },
      { name: 'Windows pods are out of scope', objects: [...base, deployment('win', { os: { name: 'windows' }, containers: [bare({})] })] },
    ],
    fail: [
      { name: 'container runAsUser 0', objects: [...base, deployment('root', safePodSpec({ containers: [safeContainer('a', { securityContext: { runAsUser: 0, runAsNonRoot: undefined } })] }))], findings: [{ resourceId: 'prod/Deployment/root', severity: 'medium', title: 'containers[0].securityContext.runAsUser' }] },
      { name: 'pod runAsUser 0 inherited by an init container', objects: [...base, deployment('podroot', { securityContext: { runAsUser: 0 }, initContainers: [bare({})], containers: [bare({ runAsUser: 1000 })] })], findings: [{ resourceId: 'prod/Deployment/podroot', severity: 'medium', title: '(spec.template.spec.securityContext.runAsUser)' }] },
      { name: 'nothing said: the image decides', objects: [...base, deployment('image', { containers: [bare({})] })], findings: [{ resourceId: 'prod/Deployment/image', severity: 'low' }] },
    ],
  },
  'k8s.pods.net-raw': {
    pass: [
      { name: 'drop ALL', objects: base },
      { name: 'drop NET_RAW only', objects: [...base, deployment('netraw', safePodSpec({ containers: [safeContainer('a', { securityContext: { capabilities: { drop: ['NET_RAW'] } } })] }))] },
    ],
    fail: [
      { name: 'runtime default keeps NET_RAW', objects: [...base, deployment('nodrop', safePodSpec({ containers: [safeContainer('a', { securityContext: { capabilities: {} } })] }))], findings: [{ resourceId: 'prod/Deployment/nodrop', severity: 'medium' }] },
      { name: 'NET_RAW added back after drop ALL', objects: [...base, deployment('addback', safePodSpec({ containers: [safeContainer('a', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_RAW'] } } })] }))], findings: [{ resourceId: 'prod/Deployment/addback', severity: 'medium', title: 'capabilities.add[0]' }] },
    ],
  },
  'k8s.pods.added-capabilities': {
    pass: [{ name: 'only NET_BIND_SERVICE added', objects: [...base, deployment('bind', safePodSpec({ containers: [safeContainer('a', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })] }))] }],
    fail: [{ name: 'SYS_TIME added in an init container', objects: [...base, deployment('clock', safePodSpec({ initContainers: [safeContainer('a', { securityContext: { capabilities: { drop: ['ALL'], add: ['SYS_TIME'] } } })] }))], findings: [{ resourceId: 'prod/Deployment/clock', severity: 'medium', title: 'initContainers[0].securityContext.capabilities.add[0]' }] }],
  },
  'k8s.pods.capabilities-not-dropped': {
    pass: [{ name: 'drop ALL everywhere', objects: base }],
    fail: [{ name: 'drops only NET_RAW', objects: [...base, deployment('partial', safePodSpec({ containers: [safeContainer('a', { securityContext: { capabilities: { drop: ['NET_RAW'] } } })] }))], findings: [{ resourceId: 'prod/Deployment/partial', severity: 'low' }] }],
  },
  'k8s.pods.host-process': {
    pass: [{ name: 'no HostProcess', objects: base }],
    fail: [{ name: 'pod-level hostProcess', objects: [...base, deployment('winhost', { securityContext: { windowsOptions: { hostProcess: true } }, hostNetwork: true, containers: [bare({})] })], findings: [{ resourceId: 'prod/Deployment/winhost', severity: 'high', title: 'windowsOptions.hostProcess' }] }],
  },
  'k8s.pods.host-path-volumes': {
    pass: [{ name: 'emptyDir only', objects: [...base, deployment('cache', safePodSpec({ volumes: [{ name: 'tmp', emptyDir: {} }] }))] }],
    fail: [{ name: 'docker socket mounted', objects: [...base, deployment('dind', safePodSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }))], findings: [{ resourceId: 'prod/Deployment/dind', severity: 'medium', title: 'spec.template.spec.volumes[1].hostPath.path' }] }],
  },
  'k8s.pods.host-ports': {
    pass: [
      { name: 'container ports only', objects: [...base, deployment('svc', safePodSpec({ containers: [safeContainer('a', { ports: [{ containerPort: 8080 }] })] }))] },
      { name: 'hostNetwork pods get hostPort filled in by defaulting', objects: [...base, deployment('hn', safePodSpec({ hostNetwork: true, containers: [safeContainer('a', { ports: [{ containerPort: 9100, hostPort: 9100 }] })] }))] },
    ],
    fail: [{ name: 'explicit hostPort', objects: [...base, deployment('hp', safePodSpec({ containers: [safeContainer('a', { ports: [{ containerPort: 80 }, { containerPort: 8080, hostPort: 8080 }] })] }))], findings: [{ resourceId: 'prod/Deployment/hp', severity: 'low', title: 'containers[0].ports[1].hostPort' }] }],
  },
  'k8s.pods.seccomp-profile': {
    pass: [
      { name: 'container RuntimeDefault', objects: base },
      { name: 'pod-level RuntimeDefault inherited', objects: [...base, deployment('podsc', { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [bare({})] })] },
    ],
    fail: [
      { name: 'container Unconfined overrides the pod', objects: [...base, deployment('unconf', { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [bare({ seccompProfile: { type: 'Unconfined' } })] })], findings: [{ resourceId: 'prod/Deployment/unconf', severity: 'low', title: 'containers[0].securityContext.seccompProfile.type' }] },
      { name: 'no profile anywhere', objects: [...base, deployment('none', { containers: [bare({})] })], findings: [{ resourceId: 'prod/Deployment/none', severity: 'low' }] },
    ],
  },
  'k8s.pods.secrets-in-env': {
    pass: [{ name: 'configMap refs and literal values', objects: [...base, deployment('cfg', safePodSpec({ containers: [safeContainer('a', { env: [{ name: 'MODE', value: 'prod' }, { name: 'X', valueFrom: { configMapKeyRef: { name: 'c', key: 'x' } } }] })] }))] }],
    fail: [
      { name: 'secretKeyRef in env', objects: [...base, deployment('db', safePodSpec({ containers: [safeContainer('a', { env: [{ name: 'MODE', value: 'prod' }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] })] }))], findings: [{ resourceId: 'prod/Deployment/db', severity: 'low', title: 'containers[0].env[1].valueFrom.secretKeyRef' }] },
      { name: 'envFrom secretRef in an init container', objects: [...base, deployment('migrate', safePodSpec({ initContainers: [safeContainer('m', { envFrom: [{ secretRef: { name: 'db' } }] })] }))], findings: [{ resourceId: 'prod/Deployment/migrate', severity: 'low', title: 'initContainers[0].envFrom[0].secretRef' }] },
    ],
  },
};

for (const check of podSecurityChecks as unknown as AnyCheck[]) {
  const cases = CASES[check.id as keyof typeof CASES];
  checkTester(check, {
    pass: cases.pass.map((c) => ({ name: c.name, options: {}, inventory: { cluster: inventory(c.objects) } })),
    fail: cases.fail.map((c) => ({ name: c.name, options: {}, findings: c.findings, inventory: { cluster: inventory(c.objects) } })),
  });
}

describe('pod security evidence', () => {
  const privileged = (podSecurityChecks as unknown as AnyCheck[]).find((c) => c.id === 'k8s.pods.privileged-containers')!;

  it('lists every offending field path, the replicas (0 included) and the per-control score', () => {
    const cluster = inventory([...base, deployment('batch', safePodSpec({ initContainers: [safeContainer('i', { securityContext: { privileged: true } })], containers: [safeContainer('a', { securityContext: { privileged: true } })] }), { replicas: 0 })]);
    const [finding] = privileged.evaluate({ cluster } as never, privileged.options.parse({}));
    expect(finding!.evidence).toMatchObject({
      kind: 'Deployment',
      replicas: 0,
      fields: [
        { path: 'spec.template.spec.containers[0].securityContext.privileged', value: true },
        { path: 'spec.template.spec.initContainers[0].securityContext.privileged', value: true },
      ],
      score: { failed: 1, total: 2, unit: 'workloads', text: '1/2 workloads failing' },
    });
    expect(finding!.scope).toBe('k8s:https://127.0.0.1:6443');
  });

  it('keeps no literal env value in the inventory or the evidence', () => {
    const secretish = ['s3cr3t', 'value', Date.now()].join('-');
    const cluster = inventory([deployment('leak', safePodSpec({ containers: [safeContainer('a', { env: [{ name: 'TOKEN', value: secretish }] })] }))]);
    expect(JSON.stringify(cluster)).not.toContain(secretish);
  });

  it('maps a matching exception onto an acceptance with owner and expiry, and leaves other objects alone', () => {
    const cluster = inventory([...base, deployment('batch', safePodSpec({ containers: [safeContainer('a', { securityContext: { privileged: true } })] }), { labels: { team: 'data' } }), deployment('other', safePodSpec({ containers: [safeContainer('a', { securityContext: { privileged: true } })] }))]);
    const options = privileged.options.parse({ exceptions: [{ control: 'k8s.pods.*', namespace: 'prod', kind: 'Deployment', labels: { team: 'data' }, reason: 'GPU driver installer', owner: 'data-platform', expires: '2027-03-31' }] });
    const findings = privileged.evaluate({ cluster } as never, options);
    const excepted = findings.find((f) => f.resourceId === 'prod/Deployment/batch')!;
    expect(excepted.acceptance).toEqual({ reason: 'k8s exception: GPU driver installer', owner: 'data-platform', until: Date.parse('2027-03-31') });
    expect(excepted.evidence.exception).toEqual({ reason: 'GPU driver installer', owner: 'data-platform', expires: '2027-03-31T00:00:00.000Z' });
    expect(findings.find((f) => f.resourceId === 'prod/Deployment/other')!.acceptance).toBeUndefined();
  });

  it('rejects a malformed exception with the key that is wrong', () => {
    const result = privileged.options.safeParse({ exceptions: [{ control: 'k8s.pods.*', reason: 'x y z', owner: 'me', expires: 'next week' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe('exceptions.0.expires');
  });
});
