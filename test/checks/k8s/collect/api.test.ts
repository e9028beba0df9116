import { afterEach, describe, expect, it } from 'vitest';
import { earlyContinueToken } from '../../../../checks/k8s/collect/api.js';
import { K8S_CHECKS } from '../../../../checks/k8s/index.js';
import { CollectionMemo } from '../../../../jobs/collection-memo.js';
import { executeRun } from '../../../../jobs/runner.js';
import type { RunResult } from '../../../../src/runs/run-result.js';
import { silentLogger } from '../../../../src/log.js';
import { BUILT_IN, clusterRole, clusterRoleBinding, cronJob, deployment, group, namespace, networkPolicy, pod, safeContainer, safePodSpec, serviceAccount, user, workload } from '../../../builders/k8s.js';
import { startFakeApiServer, writeKubeconfig, type FakeApiServer } from '../../../builders/k8s-api-server.js';
import { useTempDir } from '../../../builders/temp-dir.js';

const TOKEN = ['test', 'bearer', 'k8s'].join('-');
const privileged = safeContainer('p', { securityContext: { privileged: true } });

/** A small recorded cluster: one privileged init container hidden in a Deployment scaled to zero, among others. */
const LISTS = {
  '/api/v1/namespaces': [namespace('prod'), namespace('dev'), namespace('kube-system')],
  '/api/v1/pods': [pod('web-1-a', safePodSpec(), 'prod', { kind: 'ReplicaSet', name: 'web-1' }), pod('web-1-b', safePodSpec(), 'prod', { kind: 'ReplicaSet', name: 'web-1' }), pod('kube-proxy-x', safePodSpec({ hostNetwork: true }), 'kube-system', { kind: 'DaemonSet', name: 'kube-proxy' })],
  '/api/v1/serviceaccounts': [serviceAccount('default', 'prod', false), serviceAccount('default', 'dev'), serviceAccount('app', 'prod')],
  '/apis/apps/v1/deployments': [deployment('web', safePodSpec()), deployment('batch', safePodSpec({ initContainers: [privileged] }), { replicas: 0, namespace: 'dev' })],
  '/apis/apps/v1/replicasets': [workload('ReplicaSet', 'web-1', safePodSpec(), 'prod', { kind: 'Deployment', name: 'web' })],
  '/apis/apps/v1/daemonsets': [workload('DaemonSet', 'kube-proxy', safePodSpec({ hostNetwork: true, containers: [privileged] }), 'kube-system')],
  '/apis/apps/v1/statefulsets': [],
  '/apis/batch/v1/jobs': [],
  '/apis/batch/v1/cronjobs': [cronJob('report', safePodSpec())],
  '/apis/rbac.authorization.k8s.io/v1/roles': [],
  '/apis/rbac.authorization.k8s.io/v1/rolebindings': [],
  '/apis/rbac.authorization.k8s.io/v1/clusterroles': [clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], BUILT_IN)],
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': [clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')], BUILT_IN), clusterRoleBinding('ops-admin', 'cluster-admin', [user('mallory')])],
  '/apis/networking.k8s.io/v1/networkpolicies': [networkPolicy('deny', 'prod')],
};

describe('live API collector through @kubernetes/client-node', () => {
  const tempDir = useTempDir('vigil-k8s-api-');
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function runAll(options: Record<string, unknown>, memo = new CollectionMemo()): Promise<RunResult[]> {
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const results: RunResult[] = [];
    for (const check of K8S_CHECKS) {
      results.push(await executeRun({ runId: `r-${check.id}`, checkId: check.id, targetId: 'prod-cluster', trigger: 'cli', options, timeoutMs: 15_000 }, { checks, log: silentLogger, collectionMemo: memo }));
    }
    return results;
  }

  it('pages every list with limit and continue over HTTPS, sends the token, never asks for secrets, and lists once for all checks', async () => {
    server = await startFakeApiServer({ lists: LISTS });
    const kubeconfig = writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url, ca: server.ca!, token: TOKEN }]);
    const results = await runAll({ kubeconfig, pageSize: 2 });

    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/api/v1/pods?limit=2');
    expect(paths.some((p) => p.startsWith('/api/v1/pods?limit=2&continue='))).toBe(true);
    expect(paths.some((p) => /secret/i.test(p))).toBe(false);
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // 80+ checks, one collection: pods (3 items) take exactly two pages.
    expect(paths.filter((p) => p.startsWith('/api/v1/pods')).length).toBe(2);

    const byCheck = new Map(results.map((r) => [r.checkId, r]));
    const priv = byCheck.get('k8s.pods.privileged-containers')!;
    expect(priv.findings.map((f) => f.resourceId)).toEqual(['dev/Deployment/batch']);
    expect(priv.findings[0]!.evidence.fields).toEqual([{ path: 'spec.template.spec.initContainers[0].securityContext.privileged', value: true }]);
    expect(priv.findings[0]!.scope).toBe(`k8s:${server.url}`);
    expect(priv.coverage.ok).toContain(`k8s:${server.url}`);
    expect(byCheck.get('k8s.rbac.cluster-admin-bindings')!.findings.map((f) => f.resourceId)).toEqual(['ClusterRoleBinding/ops-admin']);
    expect(byCheck.get('k8s.namespaces.network-policy')!.findings.map((f) => f.resourceId).sort()).toEqual(['Namespace/dev', 'Namespace/kube-system']);
    // No nodeRoot: node controls yield nothing instead of failing.
    expect(byCheck.get('k8s.kubelet.anonymous-auth')!.findings).toEqual([]);
  });

  it('picks the configured context and reports a refused list as a partial run that names the resource', async () => {
    server = await startFakeApiServer({ lists: LISTS, forbidden: ['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'] });
    const kubeconfig = writeKubeconfig(tempDir(), [
      { name: 'elsewhere', server: 'https://127.0.0.1:1', token: 'unused' },
      { name: 'lab', server: server.url, ca: server.ca!, token: TOKEN },
    ]);
    const memo = new CollectionMemo();
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const result = await executeRun({ runId: 'r1', checkId: 'k8s.rbac.cluster-admin-bindings', targetId: 'lab', trigger: 'cli', options: { kubeconfig, context: 'lab' }, timeoutMs: 15_000 }, { checks, log: silentLogger, collectionMemo: memo });
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed).toEqual([{ scope: `k8s:${server.url}`, error: { name: 'CollectorAccessDenied', message: expect.stringContaining('list clusterrolebindings: HTTP 403') } }]);
    expect(result.coverage.ok).toEqual([]);
  });

  it('refuses plain HTTP unless the kubeconfig says insecure-skip-tls-verify, with a one-line error', async () => {
    server = await startFakeApiServer({ lists: LISTS, tls: false });
    const dir = tempDir();
    const strict = writeKubeconfig(dir, [{ name: 'plain', server: server.url, token: TOKEN }]);
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const refused = await executeRun({ runId: 'r2', checkId: 'k8s.pods.host-pid', targetId: 'plain', trigger: 'cli', options: { kubeconfig: strict }, timeoutMs: 15_000 }, { checks, log: silentLogger });
    expect(refused.outcome).toBe('failed');
    expect(refused.error).toMatch(/HTTP protocol is not allowed/);
    expect(refused.error).not.toContain('\n');

    const insecure = writeKubeconfig(tempDir(), [{ name: 'plain', server: server.url, token: TOKEN, insecure: true }]);
    const ok = await executeRun({ runId: 'r3', checkId: 'k8s.pods.host-pid', targetId: 'plain', trigger: 'cli', options: { kubeconfig: insecure }, timeoutMs: 15_000 }, { checks, log: silentLogger });
    expect(ok.outcome).toBe('ok');
  });

  it('starts a list over once when its continue token expired (410 Gone), without duplicates', async () => {
    server = await startFakeApiServer({ lists: LISTS, expireFirstContinue: ['/api/v1/pods'] });
    const kubeconfig = writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url, ca: server.ca!, token: TOKEN }]);
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const result = await executeRun({ runId: 'r5', checkId: 'k8s.pods.host-network', targetId: 'lab', trigger: 'cli', options: { kubeconfig, pageSize: 2 }, timeoutMs: 15_000 }, { checks, log: silentLogger });
    expect(result.outcome).toBe('ok');
    expect(server.requests.filter((r) => r.path.startsWith('/api/v1/pods')).map((r) => r.path.replace(/continue=[^&]+/, 'continue=T'))).toEqual([
      '/api/v1/pods?limit=2',
      '/api/v1/pods?limit=2&continue=T',
      '/api/v1/pods?limit=2',
      '/api/v1/pods?limit=2&continue=T',
    ]);
  });

  it('reads the next page token from the head of a List before parsing it', () => {
    expect(earlyContinueToken('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"abc-123"},"items":[{"metadata":{"continue":"no"}}]}')).toBe('abc-123');
    expect(earlyContinueToken('{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"continue":"no"}}]}')).toBeUndefined();
  });

  it('names a missing context as a config error', async () => {
    server = await startFakeApiServer({ lists: LISTS });
    const kubeconfig = writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url, ca: server.ca!, token: TOKEN }]);
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const result = await executeRun({ runId: 'r4', checkId: 'k8s.pods.host-pid', targetId: 'lab', trigger: 'cli', options: { kubeconfig, context: 'prod' }, timeoutMs: 15_000 }, { checks, log: silentLogger });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/context 'prod'/);
  });
});
