#!/usr/bin/env node
// Every k8s.* check over a synthetic cluster of 50,000 pods, 5,000 workloads and 2,000 RBAC objects, served by a
// kube-apiserver stand-in on 127.0.0.1 (a child process, so its memory is not counted) in pages of `limit` objects with
// `continue` tokens, reached through a kubeconfig and @kubernetes/client-node. Reports wall time and peak RSS of the
// scanning process; exits 1 above the targets (30 s, 500 MB).
//
//   node bench/k8s.js [--pods 50000] [--workloads 5000] [--rbac 2000] [--page 500] [--http]
//
// Needs `npm run build` first. Loopback only.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { createServer as createHttp } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    pods: { type: 'string', default: '50000' },
    workloads: { type: 'string', default: '5000' },
    rbac: { type: 'string', default: '2000' },
    page: { type: 'string', default: '500' },
    serve: { type: 'boolean', default: false },
    http: { type: 'boolean', default: false },
  },
});
const SIZE = { pods: Number(args.pods), workloads: Number(args.workloads), rbac: Number(args.rbac) };
const TARGET = { seconds: 30, rssMb: 500 };

// ---------------------------------------------------------------------------------------------------------------
// The synthetic cluster, generated item by item from its index so the server holds no inventory in memory.
const NAMESPACES = 200;
const ns = (i) => `team-${i % NAMESPACES}`;
const managedFields = (name) => [
  { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} }, 'f:ownerReferences': { '.': {}, [`k:{"uid":"${name}"}`]: {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:securityContext': {} } } } } },
  { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-11-01T00:00:05Z', fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:startTime': {} } } },
];
function podSpec(i, ownerIndex) {
  const variant = ownerIndex % 10;
  const container = (name) => ({
    name,
    image: `registry.example/team-${i % 50}/${name}:1.${i % 17}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 8080, protocol: 'TCP', ...(variant === 3 ? { hostPort: 8080 } : {}) }],
    env: [{ name: 'MODE', value: 'production' }, { name: 'LOG_LEVEL', value: 'info' }, ...(variant === 4 ? [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] : [])],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    securityContext: variant === 0 ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ['ALL'] }, ...(variant === 5 ? {} : { seccompProfile: { type: 'RuntimeDefault' } }) },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  return {
    serviceAccountName: variant === 6 ? 'default' : 'app',
    ...(variant === 7 ? { automountServiceAccountToken: false } : {}),
    ...(variant === 8 ? { hostNetwork: true } : {}),
    containers: [container('app'), ...(variant === 9 ? [container('sidecar')] : [])],
    ...(variant === 2 ? { initContainers: [{ ...container('init'), securityContext: { privileged: true } }] } : {}),
    volumes: [{ name: 'tmp', emptyDir: {} }, ...(variant === 1 ? [{ name: 'docker', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }] : []), { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  };
}
const meta = (kind, name, namespace, extra = {}) => ({ name, ...(namespace ? { namespace } : {}), uid: `${kind}-${name}`, resourceVersion: '12345', creationTimestamp: '2026-11-01T00:00:00Z', labels: { app: name, 'app.kubernetes.io/part-of': 'bench' }, ...extra });

// Workload mix: 40% Deployments with their ReplicaSets, 10% StatefulSets, 6% DaemonSets, 2% Jobs, 2% CronJobs.
const W = SIZE.workloads;
const counts = { deployments: Math.floor(W * 0.4), replicasets: Math.floor(W * 0.4), statefulsets: Math.floor(W * 0.1), daemonsets: Math.floor(W * 0.06), jobs: Math.floor(W * 0.02) };
counts.cronjobs = W - counts.deployments - counts.replicasets - counts.statefulsets - counts.daemonsets - counts.jobs;
const podOwners = counts.replicasets + counts.statefulsets + counts.daemonsets;
const ownerOfPod = (i) => {
  const o = i % podOwners;
  if (o < counts.replicasets) return { kind: 'ReplicaSet', name: `app-${o}-7d9c`, index: o };
  if (o < counts.replicasets + counts.statefulsets) return { kind: 'StatefulSet', name: `db-${o - counts.replicasets}`, index: o };
  return { kind: 'DaemonSet', name: `agent-${o - counts.replicasets - counts.statefulsets}`, index: o };
};

const R = SIZE.rbac / 4;
const GENERATORS = {
  '/api/v1/namespaces': [NAMESPACES, (i) => ({ metadata: meta('ns', `team-${i}`, undefined, i % 3 ? { labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } : {}) })],
  '/api/v1/pods': [
    SIZE.pods,
    (i) => {
      const owner = ownerOfPod(i);
      const spec = podSpec(i, owner.index);
      if (i % 997 === 0) spec.ephemeralContainers = [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }];
      return {
        metadata: meta('pod', `${owner.name}-${i}`, ns(owner.index), { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `${owner.kind}-${owner.name}`, controller: true, blockOwnerDeletion: true }], managedFields: managedFields(owner.name), annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-01T00:00:00Z' } }),
        spec: { ...spec, nodeName: `node-${i % 300}` },
        status: { phase: 'Running', hostIP: `10.0.${i % 250}.${i % 200}`, podIP: `10.244.${i % 250}.${i % 200}`, startTime: '2026-11-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-01T00:00:05Z' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'registry.example/app:1', imageID: `registry.example/app@sha256:${'a'.repeat(64)}`, containerID: `containerd://${'b'.repeat(64)}`, started: true, state: { running: { startedAt: '2026-11-01T00:00:05Z' } } }] },
      };
    },
  ],
  '/api/v1/serviceaccounts': [NAMESPACES * 2, (i) => ({ metadata: meta('sa', i < NAMESPACES ? 'default' : 'app', ns(i)), ...(i % 2 ? { automountServiceAccountToken: false } : {}) })],
  '/apis/apps/v1/deployments': [counts.deployments, (i) => ({ metadata: meta('Deployment', `app-${i}`, ns(i)), spec: { replicas: i % 20 === 0 ? 0 : 3, selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: podSpec(i, i) } } })],
  '/apis/apps/v1/replicasets': [counts.replicasets, (i) => ({ metadata: meta('ReplicaSet', `app-${i}-7d9c`, ns(i), { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: `app-${i}`, uid: `Deployment-app-${i}`, controller: true }] }), spec: { replicas: 3, template: { spec: podSpec(i, i) } } })],
  '/apis/apps/v1/statefulsets': [counts.statefulsets, (i) => ({ metadata: meta('StatefulSet', `db-${i}`, ns(counts.replicasets + i)), spec: { replicas: 3, template: { spec: podSpec(i, counts.replicasets + i) } } })],
  '/apis/apps/v1/daemonsets': [counts.daemonsets, (i) => ({ metadata: meta('DaemonSet', `agent-${i}`, ns(counts.replicasets + counts.statefulsets + i)), spec: { template: { spec: podSpec(i, counts.replicasets + counts.statefulsets + i) } } })],
  '/apis/batch/v1/jobs': [counts.jobs, (i) => ({ metadata: meta('Job', `migrate-${i}`, ns(i)), spec: { template: { spec: { ...podSpec(i, i), restartPolicy: 'Never' } } } })],
  '/apis/batch/v1/cronjobs': [counts.cronjobs, (i) => ({ metadata: meta('CronJob', `report-${i}`, ns(i)), spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { ...podSpec(i, i), restartPolicy: 'Never' } } } } } })],
  '/apis/rbac.authorization.k8s.io/v1/clusterroles': [R, (i) => ({ metadata: meta('ClusterRole', `role-${i}`), rules: [{ apiGroups: [''], resources: i % 5 ? ['pods', 'configmaps'] : ['secrets'], verbs: i % 7 ? ['get', 'list'] : ['*'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] }] })],
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': [R, (i) => ({ metadata: meta('CRB', `bind-${i}`), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 100 === 0 ? 'cluster-admin' : `role-${i}` }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `group-${i}` }, { kind: 'ServiceAccount', name: 'app', namespace: ns(i) }] })],
  '/apis/rbac.authorization.k8s.io/v1/roles': [R, (i) => ({ metadata: meta('Role', `ns-role-${i}`, ns(i)), rules: [{ apiGroups: [''], resources: i % 4 ? ['configmaps'] : ['pods'], verbs: i % 4 ? ['get'] : ['create'] }] })],
  '/apis/rbac.authorization.k8s.io/v1/rolebindings': [R, (i) => ({ metadata: meta('RB', `ns-bind-${i}`, ns(i)), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `ns-role-${i}` }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }] })],
  '/apis/networking.k8s.io/v1/networkpolicies': [Math.floor(NAMESPACES * 0.75), (i) => ({ metadata: meta('NP', 'default-deny', ns(i)), spec: { podSelector: {}, policyTypes: ['Ingress'] } })],
};

function page(path, offset, limit) {
  const [total, make] = GENERATORS[path];
  const items = [];
  for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(make(i));
  const next = offset + limit < total ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) }, items });
}

function serve() {
  const tls = JSON.parse(process.env.BENCH_TLS ?? 'null');
  // Render every page before the clock starts: a real API server answers lists from its watch cache, and the
  // stand-in's own JSON generation (CPU the scanner does not spend) must not count as scan time.
  const limit = Number(args.page);
  const rendered = new Map();
  for (const [path, [total]] of Object.entries(GENERATORS)) {
    for (let offset = 0; offset < Math.max(total, 1); offset += limit) rendered.set(`${path}|${offset}|${limit}`, page(path, offset, limit));
  }
  const handler = (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' }));
    }
    const generator = GENERATORS[url.pathname];
    if (!generator) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ kind: 'Status', code: 404 }));
    }
    const [total] = generator;
    const size = Number(url.searchParams.get('limit') ?? total) || total;
    const offset = url.searchParams.get('continue') ? Number(Buffer.from(url.searchParams.get('continue'), 'base64url').toString()) : 0;
    const body = rendered.get(`${url.pathname}|${offset}|${size}`) ?? page(url.pathname, offset, size);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = tls ? createHttps(tls, handler) : createHttp(handler);
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  const started = process.cpuUsage();
  process.on('message', (m) => {
    if (m === 'cpu') {
      const used = process.cpuUsage(started);
      process.send({ cpu: (used.user + used.system) / 1e6 });
    }
  });
}

if (args.serve) {
  serve();
} else {
  await main();
}

function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-k8s-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=bench', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const [{ K8S_CHECKS }, { executeRun }, { CollectionMemo }, { silentLogger }] = await Promise.all([
    import('../dist/checks/k8s/index.js'),
    import('../dist/jobs/runner.js'),
    import('../dist/jobs/collection-memo.js'),
    import('../dist/src/log.js'),
  ]);
  const tls = args.http ? null : certificate();
  const child = fork(fileURLToPath(import.meta.url), ['--serve', '--pods', args.pods, '--workloads', args.workloads, '--rbac', args.rbac], { env: { ...process.env, BENCH_TLS: JSON.stringify(tls) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-kubeconfig-'));
  const kubeconfig = join(dir, 'config');
  const server = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: bench',
      'clusters:',
      '- name: bench',
      '  cluster:',
      `    server: ${server}`,
      tls ? `    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}` : '    insecure-skip-tls-verify: true',
      'users:',
      '- name: bench',
      `  user: {token: ${['bench', 'token'].join('-')}}`,
      'contexts:',
      '- name: bench',
      '  context: {cluster: bench, user: bench}',
      '',
    ].join('\n'),
  );

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const memo = new CollectionMemo();
  const checks = { get: (id) => K8S_CHECKS.find((c) => c.id === id) };
  let findings = 0;
  const outcomes = {};
  let collectedAt;
  for (const check of K8S_CHECKS) {
    const result = await executeRun({ runId: `bench-${check.id}`, checkId: check.id, targetId: 'bench', trigger: 'cli', options: { kubeconfig, pageSize: Number(args.page) }, timeoutMs: 300_000 }, { checks, log: silentLogger, collectionMemo: memo });
    collectedAt ??= performance.now();
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    if (result.outcome === 'failed') console.error(`${check.id}: ${result.error}`);
    findings += result.findings.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  child.send('cpu');
  const serverCpu = await new Promise((resolve) => child.once('message', (m) => resolve(m.cpu)));
  child.kill();
  rmSync(dir, { recursive: true, force: true });

  const rssMb = peakRss / 1024 / 1024;
  console.log(`cluster: ${SIZE.pods} pods, ${SIZE.workloads} workloads, ${SIZE.rbac} RBAC objects, ${NAMESPACES} namespaces; pages of ${args.page} over ${tls ? 'HTTPS' : 'HTTP'} (127.0.0.1)`);
  console.log(`checks: ${K8S_CHECKS.length} (one shared collection), outcomes ${JSON.stringify(outcomes)}, findings ${findings}`);
  console.log(`wall time: ${seconds.toFixed(2)} s (first check incl. collection: ${((collectedAt - started) / 1000).toFixed(2)} s; target < ${TARGET.seconds} s)`);
  console.log(`CPU: scanner ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, API server stand-in ${serverCpu.toFixed(2)} s (wall time waits on both; the machine's load average was ${loadavg()[0].toFixed(1)})`);
  console.log(`peak RSS: ${rssMb.toFixed(0)} MB (target < ${TARGET.rssMb} MB)`);
  const ok = seconds < TARGET.seconds && rssMb < TARGET.rssMb && !outcomes.failed && !outcomes.partial;
  console.log(ok ? 'PASS' : 'FAIL');
  process.exit(ok ? 0 : 1);
}
