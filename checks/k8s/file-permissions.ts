import type { Severity } from '../../src/check-api/types.js';
import { cis, eks } from './cis.js';
import { clusterObjects, nodeFiles } from './collect/index.js';
import { notApplicable, type ControlAssessment, type ControlHit } from './control-result.js';
import type { ClusterInventory, NodeFile, NodeInventory } from './model.js';
import { defineK8sControlCheck } from './control-check.js';
import type { K8sOptions } from './options.js';
import { detectProvider } from './provider.js';

export interface FilePermissionControl {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly references: ReturnType<typeof cis>;
  /** Control-plane files do not exist on managed clusters' nodes and do not apply there. */
  readonly section: 'control-plane' | 'node';
  /** The node paths this control covers; files that do not exist are not applicable, never failures. */
  readonly files: (node: NodeInventory) => NodeFile[];
  /** Permission bits allowed at most (a bitmask: 0400 passes 0600, 0640 does not). */
  readonly maxMode?: number;
  /** Where a managed benchmark allows more (CIS EKS 1.7.0 3.1.1/3.1.3: 644 for the kubelet kubeconfig and config). */
  readonly managedMaxMode?: Partial<Record<'eks' | 'gke' | 'aks', number>>;
  readonly owner?: string;
}

const existing = (node: NodeInventory, paths: readonly (string | undefined)[]): NodeFile[] =>
  [...new Set(paths.filter((p): p is string => Boolean(p)))].flatMap((path) => (node.files[path] ? [node.files[path]] : []));
const fixed = (...paths: string[]) => (node: NodeInventory) => existing(node, paths);
const under = (dir: string, filter: (path: string) => boolean = () => true) => (node: NodeInventory) =>
  Object.values(node.files).filter((file) => (file.path === dir || file.path.startsWith(`${dir}/`)) && filter(file.path));
const kubeletFlag = (node: NodeInventory, flag: string) => node.components.kubelet?.flags[flag];
const kubeletConfig = (node: NodeInventory) => node.components.kubelet?.config?.value as Record<string, any> | undefined;
const KUBELET_UNIT_DIRS = ['/etc/systemd/system/kubelet.service.d', '/usr/lib/systemd/system/kubelet.service.d', '/lib/systemd/system/kubelet.service.d'];

/**
 * CIS 1.1.x and 4.1.x as one table: mode as a bitmask and `user:group` ownership of control-plane and kubelet files,
 * with flag-derived paths (etcd --data-dir, kubelet --kubeconfig/--config, clientCAFile) taken from the running config.
 */
export const FILE_PERMISSION_CONTROLS: readonly FilePermissionControl[] = [
  { id: 'k8s.files.apiserver-manifest', title: 'kube-apiserver static pod manifest is 600 root:root', severity: 'medium', references: [...cis('1.1.1'), ...cis('1.1.2')], section: 'control-plane', files: fixed('/etc/kubernetes/manifests/kube-apiserver.yaml'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.controller-manager-manifest', title: 'kube-controller-manager static pod manifest is 600 root:root', severity: 'medium', references: [...cis('1.1.3'), ...cis('1.1.4')], section: 'control-plane', files: fixed('/etc/kubernetes/manifests/kube-controller-manager.yaml'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.scheduler-manifest', title: 'kube-scheduler static pod manifest is 600 root:root', severity: 'medium', references: [...cis('1.1.5'), ...cis('1.1.6')], section: 'control-plane', files: fixed('/etc/kubernetes/manifests/kube-scheduler.yaml'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.etcd-manifest', title: 'etcd static pod manifest is 600 root:root', severity: 'medium', references: [...cis('1.1.7'), ...cis('1.1.8')], section: 'control-plane', files: fixed('/etc/kubernetes/manifests/etcd.yaml'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.etcd-data-dir', title: 'etcd data directory is 700 etcd:etcd', severity: 'high', references: [...cis('1.1.11'), ...cis('1.1.12')], section: 'control-plane', files: (node) => existing(node, [node.components.etcd?.flags['--data-dir'] ?? node.components.etcd?.env.ETCD_DATA_DIR ?? '/var/lib/etcd']), maxMode: 0o700, owner: 'etcd:etcd' },
  { id: 'k8s.files.admin-kubeconfig', title: 'admin.conf and super-admin.conf are 600 root:root', severity: 'high', references: [...cis('1.1.13'), ...cis('1.1.14')], section: 'control-plane', files: fixed('/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.scheduler-kubeconfig', title: 'scheduler.conf is 600 root:root', severity: 'medium', references: [...cis('1.1.15'), ...cis('1.1.16')], section: 'control-plane', files: fixed('/etc/kubernetes/scheduler.conf'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.controller-manager-kubeconfig', title: 'controller-manager.conf is 600 root:root', severity: 'medium', references: [...cis('1.1.17'), ...cis('1.1.18')], section: 'control-plane', files: fixed('/etc/kubernetes/controller-manager.conf'), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.pki-ownership', title: 'Everything under /etc/kubernetes/pki is owned by root:root', severity: 'medium', references: cis('1.1.19'), section: 'control-plane', files: under('/etc/kubernetes/pki'), owner: 'root:root' },
  { id: 'k8s.files.pki-certificates', title: 'PKI certificates are 644 or stricter', severity: 'low', references: [{ framework: 'cis-kubernetes', version: '1.12', control: '1.1.20', title: '644' }, { framework: 'cis-kubernetes', version: '1.10', control: '1.1.20', title: '600 in 1.10' }], section: 'control-plane', files: under('/etc/kubernetes/pki', (p) => p.endsWith('.crt')), maxMode: 0o644 },
  { id: 'k8s.files.pki-keys', title: 'PKI private keys are 600 or stricter', severity: 'high', references: cis('1.1.21'), section: 'control-plane', files: under('/etc/kubernetes/pki', (p) => p.endsWith('.key')), maxMode: 0o600 },
  { id: 'k8s.files.kubelet-service', title: 'kubelet service files are 600 root:root', severity: 'medium', references: [...cis('4.1.1'), ...cis('4.1.2')], section: 'node', files: (node) => [...existing(node, ['/etc/systemd/system/kubelet.service', '/usr/lib/systemd/system/kubelet.service', '/lib/systemd/system/kubelet.service']), ...KUBELET_UNIT_DIRS.flatMap((dir) => under(dir, (p) => p.endsWith('.conf'))(node))], maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.kube-proxy-kubeconfig', title: 'kube-proxy kubeconfig is 600 root:root', severity: 'medium', references: [...cis('4.1.3'), ...cis('4.1.4')], section: 'node', files: (node) => existing(node, [node.components['kube-proxy']?.flags['--kubeconfig'], (node.components['kube-proxy']?.config?.value as any)?.clientConnection?.kubeconfig]), maxMode: 0o600, owner: 'root:root' },
  { id: 'k8s.files.kubelet-kubeconfig', title: 'kubelet kubeconfig is 600 root:root', severity: 'high', references: [...cis('4.1.5'), ...cis('4.1.6'), ...eks('3.1.1', '3.1.2')], section: 'node', files: (node) => (node.components.kubelet ? existing(node, [kubeletFlag(node, '--kubeconfig') ?? '/etc/kubernetes/kubelet.conf']) : []), maxMode: 0o600, managedMaxMode: { eks: 0o644 }, owner: 'root:root' },
  { id: 'k8s.files.kubelet-client-ca', title: 'kubelet client CA file is 644 root:root', severity: 'low', references: [...cis('4.1.7'), ...cis('4.1.8')], section: 'node', files: (node) => existing(node, [kubeletFlag(node, '--client-ca-file') ?? kubeletConfig(node)?.authentication?.x509?.clientCAFile]), maxMode: 0o644, owner: 'root:root' },
  { id: 'k8s.files.kubelet-config', title: 'kubelet config file is 600 root:root', severity: 'medium', references: [...cis('4.1.9'), ...cis('4.1.10'), ...eks('3.1.3', '3.1.4')], section: 'node', files: (node) => existing(node, [node.components.kubelet?.config?.path]), maxMode: 0o600, managedMaxMode: { eks: 0o644 }, owner: 'root:root' },
];

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

function defineFilePermissionCheck(control: FilePermissionControl) {
  const meta = {
    ...control,
    description: 'Reads mode and owner of the files on the node (nodeRoot); a file that does not exist there is not applicable.',
    remediation: `${control.maxMode !== undefined ? `chmod ${octal(control.maxMode).slice(1)} <file>` : ''}${control.maxMode !== undefined && control.owner ? ' and ' : ''}${control.owner ? `chown ${control.owner} <file>` : ''} on the node.`,
  };
  return defineK8sControlCheck(meta, { node: nodeFiles, cluster: clusterObjects }, (data, options) => assessFilePermission(control, data, options));
}

/** One file permission control's verdict over one node (evaluate and `audit k8s-score` share it). */
export function assessFilePermission(control: FilePermissionControl, { node, cluster }: { node: NodeInventory | undefined; cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  if (!node) return notApplicable('no nodeRoot configured');
  const provider = detectProvider(cluster, options.provider);
  if (control.section === 'control-plane' && provider.managed) return notApplicable(provider.reason);
  const files = control.files(node);
  if (files.length === 0) return notApplicable(`no such file on ${node.nodeName}`);
  const maxMode = (provider.managed && control.managedMaxMode?.[provider.managed]) || control.maxMode;
  const hits: ControlHit[] = [];
  for (const file of files) {
    const problems: string[] = [];
    // Bitmask, not a numeric comparison: 0604 is "less than" 0640 numerically yet world-readable.
    if (maxMode !== undefined && (file.mode & ~maxMode) !== 0) problems.push(`mode ${octal(file.mode)} allows more than ${octal(maxMode)}`);
    if (control.owner && file.owner !== control.owner) problems.push(`owned by ${file.owner}, not ${control.owner}`);
    if (problems.length === 0) continue;
    hits.push({
      kind: 'File',
      metadata: { name: file.path },
      resourceId: `node/${node.nodeName}:${file.path}`,
      severity: control.severity,
      title: `${file.path} on ${node.nodeName}: ${problems.join(', ')}`,
      evidence: { path: file.path, mode: octal(file.mode), owner: file.owner, ...(maxMode !== undefined ? { maxMode: octal(maxMode) } : {}), ...(control.owner ? { expectedOwner: control.owner } : {}) },
    });
  }
  return { status: 'assessed', scope: node.scope, outcome: { hits, total: files.length, unit: 'files' } };
}

export const filePermissionChecks = FILE_PERMISSION_CONTROLS.map(defineFilePermissionCheck);
