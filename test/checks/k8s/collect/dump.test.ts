import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8S_CHECKS } from '../../../../checks/k8s/index.js';
import { executeRun } from '../../../../jobs/runner.js';
import { silentLogger } from '../../../../src/log.js';
import { clusterRoleBinding, deployment, namespace, pod, safePodSpec, user } from '../../../builders/k8s.js';
import { useTempDir } from '../../../builders/temp-dir.js';

const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
const run = (checkId: string, options: Record<string, unknown>) => executeRun({ runId: `r-${checkId}-${Math.random()}`, checkId, targetId: 'offline', trigger: 'cli', options, timeoutMs: 15_000 }, { checks, log: silentLogger });

describe('offline dump collector', () => {
  const tempDir = useTempDir('vigil-k8s-dump-');

  function writeDump(): string {
    const dir = tempDir();
    // `kubectl get pods,deployments -A -o json` writes one List of mixed kinds.
    writeFileSync(join(dir, 'workloads.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment('web', safePodSpec()), pod('debug', safePodSpec({ hostPID: true }), 'prod')] }));
    writeFileSync(join(dir, 'version.json'), JSON.stringify({ clientVersion: { gitVersion: 'v1.32.0' }, serverVersion: { gitVersion: 'v1.32.4-eks-1a2b3c4', platform: 'linux/amd64' } }));
    mkdirSync(join(dir, 'manifests', 'team-a'), { recursive: true });
    // A manifest directory with multi-document YAML, the same Deployment twice (counted once) and a comment-only doc.
    writeFileSync(
      join(dir, 'manifests', 'team-a', 'app.yaml'),
      [
        '# team-a app',
        '---',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: team-a}\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers:\n      - name: w\n        image: w:1\n        securityContext: {privileged: true}\n',
        '---',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: team-a}\nspec: {template: {spec: {containers: [{name: w, image: w:1, securityContext: {privileged: true}}]}}}\n',
        '---',
        '# nothing here',
        '---',
        `${JSON.stringify(clusterRoleBinding('ops', 'cluster-admin', [user('mallory')]))}\n`,
        '---',
        `${JSON.stringify(namespace('team-a'))}\n`,
      ].join('\n'),
    );
    writeFileSync(join(dir, 'manifests', 'README.md'), '# not a manifest');
    return dir;
  }

  it('reads List JSON, version output and multi-document manifest directories', async () => {
    const dir = writeDump();
    const privileged = await run('k8s.pods.privileged-containers', { dumps: [dir] });
    expect(privileged.outcome).toBe('ok');
    expect(privileged.findings.map((f) => [f.resourceId, f.evidence.replicas])).toEqual([['team-a/Deployment/worker', 0]]);
    expect(privileged.coverage.ok).toEqual([`k8s-dump:${dir}`]);
    expect((await run('k8s.pods.host-pid', { dumps: [join(dir, 'workloads.json')] })).findings.map((f) => f.resourceId)).toEqual(['prod/Pod/debug']);
    expect((await run('k8s.rbac.cluster-admin-bindings', { dumps: [dir] })).findings.map((f) => f.resourceId)).toEqual(['ClusterRoleBinding/ops']);
  });

  it('detects a managed cluster from the dumped version, so control-plane controls do not apply', async () => {
    const dir = writeDump();
    const root = tempDir();
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver}\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, --anonymous-auth=true]\n');
    const managed = await run('k8s.apiserver.anonymous-auth', { dumps: [dir], nodeRoot: root });
    expect(managed.outcome).toBe('ok');
    expect(managed.findings).toEqual([]);
    const selfManaged = await run('k8s.apiserver.anonymous-auth', { dumps: [dir], nodeRoot: root, provider: 'self-managed' });
    expect(selfManaged.findings.map((f) => f.resourceId)).toEqual([`node/${root}/kube-apiserver`]);
  });

  it('turns an unparsable file into a partial run naming the file, so nothing resolves', async () => {
    const dir = writeDump();
    writeFileSync(join(dir, 'broken.yaml'), 'kind: Deployment\nmetadata: {name: [unclosed\n');
    const result = await run('k8s.pods.privileged-containers', { dumps: [dir] });
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed[0]!.error.message).toContain('broken.yaml');
    expect(result.findings.map((f) => f.resourceId)).toEqual(['team-a/Deployment/worker']);
  });

  it('validates options at the edge', async () => {
    const result = await run('k8s.pods.host-pid', { source: 'dump' });
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain("dumps: source 'dump' needs at least one path in dumps");
  });

  it('keeps secrets out: a dumped Secret object is kept by identity only', async () => {
    const dir = tempDir();
    const value = Buffer.from(['p', 'a', 's', 's', Date.now()].join('')).toString('base64');
    writeFileSync(join(dir, 's.json'), JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db', namespace: 'default' }, data: { password: value } }));
    const result = await run('k8s.namespaces.default-namespace-objects', { dumps: [dir] });
    expect(result.findings.map((f) => f.resourceId)).toEqual(['default/Secret/db']);
    expect(JSON.stringify(result)).not.toContain(value);
  });
});

