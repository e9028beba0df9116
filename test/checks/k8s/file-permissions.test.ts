import { describe, expect, it } from 'vitest';
import { filePermissionChecks, FILE_PERMISSION_CONTROLS } from '../../../checks/k8s/file-permissions.js';
import type { ComponentConfig, ComponentName, NodeFile, NodeInventory } from '../../../checks/k8s/model.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { inventory } from '../../builders/k8s.js';

type Modes = Record<string, string>;
const GOOD: Modes = {
  '/etc/kubernetes/manifests/kube-apiserver.yaml': '0600 root:root',
  '/etc/kubernetes/manifests/kube-controller-manager.yaml': '0600 root:root',
  '/etc/kubernetes/manifests/kube-scheduler.yaml': '0600 root:root',
  '/etc/kubernetes/manifests/etcd.yaml': '0600 root:root',
  '/data/etcd': 'd0700 etcd:etcd',
  '/etc/kubernetes/admin.conf': '0600 root:root',
  '/etc/kubernetes/super-admin.conf': '0600 root:root',
  '/etc/kubernetes/scheduler.conf': '0600 root:root',
  '/etc/kubernetes/controller-manager.conf': '0600 root:root',
  '/etc/kubernetes/pki': 'd0755 root:root',
  '/etc/kubernetes/pki/ca.crt': '0644 root:root',
  '/etc/kubernetes/pki/ca.key': '0600 root:root',
  '/etc/kubernetes/pki/etcd': 'd0755 root:root',
  '/etc/kubernetes/pki/etcd/ca.key': '0400 root:root',
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': '0600 root:root',
  '/etc/kubernetes/kubelet.conf': '0600 root:root',
  '/var/lib/kubelet/config.yaml': '0600 root:root',
  '/var/lib/kube-proxy/kubeconfig.conf': '0600 root:root',
};

function node(overrides: Modes = {}, remove: string[] = []): NodeInventory {
  const files: Record<string, NodeFile> = {};
  for (const [path, spec] of Object.entries({ ...GOOD, ...overrides })) {
    if (remove.includes(path)) continue;
    const [mode, owner] = spec.split(' ') as [string, string];
    files[path] = { path, mode: parseInt(mode.replace('d', ''), 8), owner, isDirectory: mode.startsWith('d') };
  }
  const component = (flags: Record<string, string>, config?: { path: string; value: unknown }): ComponentConfig => ({ source: 'test', flags, env: {}, ...(config ? { config } : {}) });
  const components: Partial<Record<ComponentName, ComponentConfig>> = {
    etcd: component({ '--data-dir': '/data/etcd' }),
    kubelet: component({ '--config': '/var/lib/kubelet/config.yaml' }, { path: '/var/lib/kubelet/config.yaml', value: { authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } } } }),
    'kube-proxy': component({}, { path: '/var/lib/kube-proxy/config.conf', value: { clientConnection: { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' } } }),
  };
  return { scope: 'k8s-node:/host', nodeName: 'cp-1', components, files, documents: {} };
}

const FAILS: Record<string, { path: string; mode: string; severity?: string }> = {
  'k8s.files.apiserver-manifest': { path: '/etc/kubernetes/manifests/kube-apiserver.yaml', mode: '0644 root:root' },
  'k8s.files.controller-manager-manifest': { path: '/etc/kubernetes/manifests/kube-controller-manager.yaml', mode: '0600 kube:root' },
  'k8s.files.scheduler-manifest': { path: '/etc/kubernetes/manifests/kube-scheduler.yaml', mode: '0660 root:root' },
  'k8s.files.etcd-manifest': { path: '/etc/kubernetes/manifests/etcd.yaml', mode: '0604 root:root' },
  // The data dir comes from etcd's --data-dir, not the /var/lib/etcd default.
  'k8s.files.etcd-data-dir': { path: '/data/etcd', mode: 'd0700 root:root' },
  'k8s.files.admin-kubeconfig': { path: '/etc/kubernetes/super-admin.conf', mode: '0640 root:root' },
  'k8s.files.scheduler-kubeconfig': { path: '/etc/kubernetes/scheduler.conf', mode: '0644 root:root' },
  'k8s.files.controller-manager-kubeconfig': { path: '/etc/kubernetes/controller-manager.conf', mode: '0600 root:wheel' },
  'k8s.files.pki-ownership': { path: '/etc/kubernetes/pki/etcd/ca.key', mode: '0400 etcd:etcd' },
  'k8s.files.pki-certificates': { path: '/etc/kubernetes/pki/ca.crt', mode: '0666 root:root' },
  'k8s.files.pki-keys': { path: '/etc/kubernetes/pki/ca.key', mode: '0644 root:root' },
  'k8s.files.kubelet-service': { path: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', mode: '0644 root:root' },
  'k8s.files.kube-proxy-kubeconfig': { path: '/var/lib/kube-proxy/kubeconfig.conf', mode: '0644 root:root' },
  'k8s.files.kubelet-kubeconfig': { path: '/etc/kubernetes/kubelet.conf', mode: '0644 root:root' },
  'k8s.files.kubelet-client-ca': { path: '/etc/kubernetes/pki/ca.crt', mode: '0644 kube:kube' },
  'k8s.files.kubelet-config': { path: '/var/lib/kubelet/config.yaml', mode: '0640 root:root' },
};

const selfManaged = inventory([], 'v1.32.4');
const stricter = (fail: { path: string; mode: string }) => (fail.mode.startsWith('d') ? 'd0500 etcd:etcd' : GOOD[fail.path] === '0400 root:root' ? '0000 root:root' : '0400 root:root');
const gke = inventory([], 'v1.31.5-gke.1023000');
const eks = inventory([], 'v1.30.4-eks-a737599');

describe('file permission table', () => {
  it('has a failing case for every control', () => {
    expect(Object.keys(FAILS).sort()).toEqual(FILE_PERMISSION_CONTROLS.map((c) => c.id).sort());
  });
});

for (const check of filePermissionChecks as unknown as AnyCheck[]) {
  const control = FILE_PERMISSION_CONTROLS.find((c) => c.id === check.id)!;
  const fail = FAILS[check.id]!;
  checkTester(check, {
    pass: [
      { name: 'kubeadm defaults tightened', options: {}, inventory: { node: node(), cluster: selfManaged } },
      // Bitmask, not "less than": 0400 is stricter than 0600 and passes.
      { name: 'stricter than required', options: {}, inventory: { node: node({ [fail.path]: stricter(fail) }), cluster: selfManaged } },
      { name: 'file absent on this node is not applicable', options: {}, inventory: { node: node({}, [fail.path]), cluster: selfManaged } },
      ...(control.section === 'control-plane' ? [{ name: 'managed GKE cluster', options: {}, inventory: { node: node({ [fail.path]: fail.mode }), cluster: gke } }] : []),
      // CIS EKS 1.7.0 3.1.1/3.1.3 allow 644 where CIS Kubernetes asks for 600.
      ...(control.managedMaxMode?.eks ? [{ name: 'EKS node: 644 is what the EKS benchmark asks', options: {}, inventory: { node: node({ [fail.path]: '0644 root:root' }), cluster: eks } }] : []),
    ],
    fail: [{ name: `${fail.path} ${fail.mode}`, options: {}, inventory: { node: node({ [fail.path]: fail.mode }), cluster: selfManaged }, findings: [{ resourceId: `node/cp-1:${fail.path}`, severity: control.severity, title: fail.path }] }],
  });
}
