import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8S_CHECKS } from '../../../../checks/k8s/index.js';
import { collectNodeFiles } from '../../../../checks/k8s/collect/node-files.js';
import { k8sOptionsSchema } from '../../../../checks/k8s/options.js';
import { CollectionMemo } from '../../../../jobs/collection-memo.js';
import { executeRun } from '../../../../jobs/runner.js';
import type { CheckContext } from '../../../../src/check-api/types.js';
import { silentLogger } from '../../../../src/log.js';
import { useTempDir } from '../../../builders/temp-dir.js';

const staticPod = (name: string, command: string[], env: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: kube-system}\nspec:\n  hostNetwork: true\n  containers:\n  - name: ${name}\n    command:\n${command.map((c) => `    - ${c}`).join('\n')}\n${Object.keys(env).length ? `    env:\n${Object.entries(env).map(([k, v]) => `    - {name: ${k}, value: "${v}"}`).join('\n')}\n` : ''}`;

/** A kubeadm control-plane node as it looks on disk, with the modes a tarball lost recorded in modes.json. */
function writeNodeTree(root: string, variant: { procKubelet?: string[]; kubeletConfig?: string } = {}): string {
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('/etc/hostname', 'cp-1\n');
  put('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\netcd:x:998:998::/var/lib/etcd:/usr/sbin/nologin\n');
  put('/etc/group', 'root:x:0:\netcd:x:998:\n');
  put('/etc/kubernetes/manifests/kube-apiserver.yaml', staticPod('kube-apiserver', ['kube-apiserver', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--profiling']));
  put('/etc/kubernetes/manifests/kube-controller-manager.yaml', staticPod('kube-controller-manager', ['kube-controller-manager', '--bind-address=127.0.0.1', '--profiling=false']));
  put('/etc/kubernetes/manifests/kube-scheduler.yaml', staticPod('kube-scheduler', ['kube-scheduler', '--bind-address=127.0.0.1']));
  put('/etc/kubernetes/manifests/etcd.yaml', staticPod('etcd', ['etcd', '--data-dir=/var/lib/etcd', '--cert-file=/etc/kubernetes/pki/etcd/server.crt'], { ETCD_KEY_FILE: '/etc/kubernetes/pki/etcd/server.key', ETCD_CLIENT_CERT_AUTH: 'true' }));
  put('/etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n');
  put('/etc/kubernetes/kubelet.conf', 'apiVersion: v1\nkind: Config\n');
  put('/etc/kubernetes/pki/ca.crt', 'cert');
  put('/etc/kubernetes/pki/ca.key', 'key');
  mkdirSync(join(root, 'var/lib/etcd/member'), { recursive: true });
  put(
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
    [
      '[Service]',
      'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
      'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
      'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
      'EnvironmentFile=-/etc/default/kubelet',
      'ExecStart=',
      'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
    ].join('\n'),
  );
  // kubeadm-flags.env overrides the config file: anonymous auth back on.
  put('/var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --anonymous-auth=true"\n');
  put(
    '/var/lib/kubelet/config.yaml',
    variant.kubeletConfig ??
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: false}\n  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}\nauthorization: {mode: Webhook}\nstreamingConnectionIdleTimeout: 0s\npodPidsLimit: -1\n',
  );
  if (variant.procKubelet) put('/proc/4242/cmdline', `${variant.procKubelet.join('\0')}\0`);
  const modes = join(root, '..', `${root.split('/').pop()}-modes.json`);
  writeFileSync(
    modes,
    JSON.stringify({
      '/etc/kubernetes/manifests/kube-apiserver.yaml': '0644 root:root',
      '/etc/kubernetes/manifests/kube-controller-manager.yaml': '0600 root:root',
      '/etc/kubernetes/manifests/kube-scheduler.yaml': '0600 root:root',
      '/etc/kubernetes/manifests/etcd.yaml': '0600 root:root',
      '/etc/kubernetes/admin.conf': '0600 root:root',
      '/etc/kubernetes/kubelet.conf': '0600 root:root',
      '/etc/kubernetes/pki': '0755 root:root',
      '/etc/kubernetes/pki/ca.crt': '0644 root:root',
      '/etc/kubernetes/pki/ca.key': '0600 root:root',
      '/var/lib/etcd': '0700 root:root',
      '/etc/systemd/system/kubelet.service.d': '0755 root:root',
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': '0644 root:root',
      '/var/lib/kubelet/config.yaml': '0600 root:root',
    }),
  );
  return modes;
}

const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };

describe('node files collector', () => {
  const tempDir = useTempDir('vigil-k8s-node-');

  async function runChecks(ids: string[], options: Record<string, unknown>) {
    const memo = new CollectionMemo();
    const out: Record<string, Awaited<ReturnType<typeof executeRun>>> = {};
    for (const id of ids) out[id] = await executeRun({ runId: `r-${id}`, checkId: id, targetId: 'cp-1', trigger: 'cli', options, timeoutMs: 15_000 }, { checks, log: silentLogger, collectionMemo: memo });
    return out;
  }

  it('reads flags from static pods and systemd drop-ins, the kubelet config its --config names, and modes from the modes file', async () => {
    const root = join(tempDir(), 'node');
    const modesFile = writeNodeTree(root);
    const r = await runChecks(
      ['k8s.files.apiserver-manifest', 'k8s.files.kubelet-service', 'k8s.files.etcd-data-dir', 'k8s.files.kubelet-config', 'k8s.apiserver.profiling', 'k8s.kubelet.anonymous-auth', 'k8s.kubelet.streaming-idle-timeout', 'k8s.kubelet.pod-pids-limit', 'k8s.etcd.client-cert-auth', 'k8s.etcd.client-tls', 'k8s.controller-manager.bind-address'],
      { source: 'none', nodeRoot: root, modesFile },
    );
    const ids = (id: string) => r[id]!.findings.map((f) => f.resourceId);
    expect(Object.values(r).every((x) => x.outcome === 'ok')).toBe(true);
    expect(ids('k8s.files.apiserver-manifest')).toEqual(['node/cp-1:/etc/kubernetes/manifests/kube-apiserver.yaml']);
    expect(ids('k8s.files.kubelet-service')).toEqual(['node/cp-1:/etc/systemd/system/kubelet.service.d/10-kubeadm.conf']);
    expect(r['k8s.files.etcd-data-dir']!.findings[0]!.evidence).toMatchObject({ path: '/var/lib/etcd', mode: '0700', owner: 'root:root', expectedOwner: 'etcd:etcd' });
    expect(ids('k8s.files.kubelet-config')).toEqual([]);
    expect(ids('k8s.apiserver.profiling')).toEqual(['node/cp-1/kube-apiserver']);
    expect(r['k8s.kubelet.anonymous-auth']!.findings[0]!.evidence.settings).toEqual([
      { setting: '--anonymous-auth / authentication.anonymous.enabled', actual: 'true', expected: 'false', from: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf: --anonymous-auth' },
    ]);
    expect(ids('k8s.kubelet.streaming-idle-timeout')).toEqual(['node/cp-1/kubelet']);
    expect(ids('k8s.kubelet.pod-pids-limit')).toEqual(['node/cp-1/kubelet']);
    expect(ids('k8s.etcd.client-cert-auth')).toEqual([]);
    expect(ids('k8s.etcd.client-tls')).toEqual([]);
    expect(ids('k8s.controller-manager.bind-address')).toEqual([]);
    expect(r['k8s.files.apiserver-manifest']!.coverage.ok).toEqual([`k8s-node:${root}`]);
  });

  it('prefers the running kubelet in <root>/proc over the unit files', async () => {
    const root = join(tempDir(), 'node');
    const modesFile = writeNodeTree(root, { procKubelet: ['/usr/bin/kubelet', '--config=/etc/kubelet-custom.yaml', '--anonymous-auth=false'] });
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/kubelet-custom.yaml'), 'kind: KubeletConfiguration\nreadOnlyPort: 10255\n');
    const ctx = { options: k8sOptionsSchema.parse({ source: 'none', nodeRoot: root, modesFile }), services: {} } as unknown as CheckContext<never>;
    const collected = await collectNodeFiles(ctx as never);
    expect(collected.data!.components.kubelet!.source).toBe('/proc (kubelet)');
    expect(collected.data!.components.kubelet!.config!.path).toBe('/etc/kubelet-custom.yaml');
    const r = await runChecks(['k8s.kubelet.anonymous-auth', 'k8s.kubelet.read-only-port'], { source: 'none', nodeRoot: root, modesFile });
    expect(r['k8s.kubelet.anonymous-auth']!.findings).toEqual([]);
    expect(r['k8s.kubelet.read-only-port']!.findings.map((f) => f.resourceId)).toEqual(['node/cp-1/kubelet']);
  });

  it('uses real modes and the node\'s own user names without a modes file', async () => {
    const root = join(tempDir(), 'node');
    writeNodeTree(root);
    chmodSync(join(root, 'etc/kubernetes/admin.conf'), 0o640);
    const r = await runChecks(['k8s.files.admin-kubeconfig'], { source: 'none', nodeRoot: root });
    const finding = r['k8s.files.admin-kubeconfig']!.findings[0]!;
    expect(finding.evidence.mode).toBe('0640');
    expect(finding.title).toContain('allows more than 0600');
  });

  it('rejects a malformed modes file naming the entry', async () => {
    const root = join(tempDir(), 'node');
    writeNodeTree(root);
    const bad = join(root, '..', 'bad-modes.json');
    writeFileSync(bad, JSON.stringify({ '/etc/kubernetes/admin.conf': 'rw-------' }));
    const r = await runChecks(['k8s.files.admin-kubeconfig'], { source: 'none', nodeRoot: root, modesFile: bad });
    expect(r['k8s.files.admin-kubeconfig']!.outcome).toBe('failed');
    expect(r['k8s.files.admin-kubeconfig']!.error).toContain('/etc/kubernetes/admin.conf');
  });
});
