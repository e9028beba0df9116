import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { basename, isAbsolute, join, posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidConfigError, describeError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import type { ComponentConfig, ComponentName, NodeFile, NodeInventory } from '../model.js';
import type { K8sOptions } from '../options.js';
import { parseFlags, splitCommandLine } from './flags.js';

/** Mode and owner of a node path (absolute, as the node sees it), or undefined when it does not exist. */
export type FileModeLookup = (nodePath: string) => Promise<NodeFile | undefined>;

const STATIC_PODS: Readonly<Record<string, ComponentName>> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  etcd: 'etcd',
};
const MANIFEST_DIR = '/etc/kubernetes/manifests';
const KUBELET_DROP_IN_DIRS = ['/etc/systemd/system/kubelet.service.d', '/usr/lib/systemd/system/kubelet.service.d', '/lib/systemd/system/kubelet.service.d'];
const KUBELET_UNITS = ['/etc/systemd/system/kubelet.service', '/usr/lib/systemd/system/kubelet.service', '/lib/systemd/system/kubelet.service'];
/** Where distributions keep the kubelet config when no `--config` flag is readable (EKS, GKE, kubeadm). */
const KUBELET_CONFIG_CANDIDATES = ['/var/lib/kubelet/config.yaml', '/etc/kubernetes/kubelet/kubelet-config.json', '/home/kubernetes/kubelet-config.yaml'];
const KUBE_PROXY_CONFIG_CANDIDATES = ['/var/lib/kube-proxy/config.conf', '/var/lib/kube-proxy/kube-proxy-config.yaml'];
/** Fixed paths the file controls ask about; flag-derived paths are added once the flags are known. */
const FIXED_PATHS = [
  ...Object.keys(STATIC_PODS).map((name) => `${MANIFEST_DIR}/${name}.yaml`),
  '/etc/kubernetes/admin.conf',
  '/etc/kubernetes/super-admin.conf',
  '/etc/kubernetes/scheduler.conf',
  '/etc/kubernetes/controller-manager.conf',
  '/etc/kubernetes/kubelet.conf',
  '/var/lib/etcd',
  ...KUBELET_UNITS,
];
const WALKED_DIRS = ['/etc/kubernetes/pki', ...KUBELET_DROP_IN_DIRS];

/**
 * Reads one node's Kubernetes files from a directory: a mounted host root (`/host` in a pod) or a tarball collected
 * from a node and extracted. Flags come from /proc/<pid>/cmdline when the root has a proc tree, else from static-pod
 * manifests and the kubelet's systemd drop-ins; the kubelet config file is the one its `--config` names. Mode and
 * owner come from `lookup` (lstat + the node's own /etc/passwd by default; a modes file for tarballs and tests).
 */
export async function collectNodeFiles(ctx: CheckContext<K8sOptions>, lookupOverride?: FileModeLookup): Promise<Collected<NodeInventory | undefined>> {
  const options = ctx.options;
  if (!options.nodeRoot) {
    return { data: undefined, coverage: { ok: [], failed: [], skipped: [{ scope: 'k8s-node', reason: 'no nodeRoot configured: node controls not evaluated', count: 1 }] } };
  }
  const root = resolve(options.nodeRoot);
  const scope = `k8s-node:${root}`;
  const rootInfo = await lstat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) throw new InvalidConfigError(`k8s: nodeRoot ${root} is not a directory`);
  const injected = ctx.services.k8sFileModeLookup as FileModeLookup | undefined;
  const lookup = lookupOverride ?? injected ?? (await defaultLookup(root, options.modesFile));
  const reader = new NodeReader(root);
  const failed: Coverage['failed'][number][] = [];
  const fail = (what: string, error: unknown) => failed.push({ scope, error: { name: 'CollectorUnreadable', message: `${what}: ${describeError(error)}` } });

  const components: Partial<Record<ComponentName, ComponentConfig>> = {};
  const processes = await reader.processes().catch((error) => (fail('/proc', error), []));
  for (const [name, argv] of processes) components[name] = { source: `/proc (${name})`, flags: parseFlags(argv.slice(1)), env: {} };

  for (const [file, component] of Object.entries(STATIC_PODS)) {
    if (components[component]) continue;
    const path = `${MANIFEST_DIR}/${file}.yaml`;
    try {
      const text = await reader.text(path);
      if (text === undefined) continue;
      components[component] = staticPodComponent(text, path);
    } catch (error) {
      fail(path, error);
    }
  }
  if (!components.kubelet) {
    try {
      const kubelet = await kubeletFromSystemd(reader);
      if (kubelet) components.kubelet = kubelet;
    } catch (error) {
      fail('kubelet systemd unit', error);
    }
  }

  const documents: Record<string, unknown> = {};
  const readConfig = async (component: ComponentName, candidates: readonly string[]) => {
    const current = components[component];
    const flagged = current?.flags['--config'];
    for (const path of flagged ? [flagged] : candidates) {
      try {
        const text = await reader.text(path);
        if (text === undefined) continue;
        const value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
        components[component] = { source: current?.source ?? path, flags: current?.flags ?? {}, env: current?.env ?? {}, config: { path, value } };
        return;
      } catch (error) {
        fail(path, error);
        return;
      }
    }
  };
  await readConfig('kubelet', KUBELET_CONFIG_CANDIDATES);
  await readConfig('kube-proxy', KUBE_PROXY_CONFIG_CANDIDATES);

  const encryption = components['kube-apiserver']?.flags['--encryption-provider-config'];
  if (encryption) {
    try {
      const text = await reader.text(encryption);
      if (text !== undefined) documents[encryption] = parseYaml(text);
    } catch (error) {
      fail(encryption, error);
    }
  }

  const paths = new Set<string>(FIXED_PATHS);
  const kubeletConfig = components.kubelet?.config?.value as Record<string, any> | undefined;
  const proxyConfig = components['kube-proxy']?.config?.value as Record<string, any> | undefined;
  for (const derived of [
    components.etcd?.flags['--data-dir'],
    components.kubelet?.flags['--kubeconfig'] ?? (components.kubelet ? '/etc/kubernetes/kubelet.conf' : undefined),
    components.kubelet?.config?.path,
    components.kubelet?.flags['--client-ca-file'] ?? kubeletConfig?.authentication?.x509?.clientCAFile,
    components['kube-proxy']?.flags['--kubeconfig'] ?? proxyConfig?.clientConnection?.kubeconfig,
  ]) {
    if (typeof derived === 'string' && derived) paths.add(derived);
  }
  for (const dir of WALKED_DIRS) for (const path of await reader.walk(dir).catch(() => [])) paths.add(path);

  const files: Record<string, NodeFile> = {};
  for (const path of [...paths].sort()) {
    try {
      const file = await lookup(path);
      if (file) files[path] = file;
    } catch (error) {
      fail(path, error);
    }
  }
  const nodeName = options.nodeName ?? (await reader.text('/etc/hostname').catch(() => undefined))?.trim() ?? root;
  return { data: { scope, nodeName: nodeName || root, components, files, documents }, coverage: { ok: failed.length ? [] : [scope], failed } };
}

function staticPodComponent(text: string, path: string): ComponentConfig {
  const pod = parseYaml(text) as any;
  const container = pod?.spec?.containers?.[0];
  if (!container) throw new Error('no containers in static pod manifest');
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map(String);
  const env: Record<string, string> = {};
  // Only ETCD_* settings matter (etcd reads its flags from them too); other values may be credentials.
  for (const entry of container.env ?? []) if (typeof entry?.name === 'string' && entry.name.startsWith('ETCD_') && typeof entry.value === 'string') env[entry.name] = entry.value;
  return { source: path, flags: parseFlags(argv.slice(1)), env };
}

async function kubeletFromSystemd(reader: NodeReader): Promise<ComponentConfig | undefined> {
  const env: Record<string, string> = {};
  let execStart: string | undefined;
  let source: string | undefined;
  const units: string[] = [];
  for (const unit of KUBELET_UNITS) if ((await reader.text(unit)) !== undefined) units.push(unit);
  for (const dir of KUBELET_DROP_IN_DIRS) units.push(...(await reader.list(dir)).filter((p) => p.endsWith('.conf')).sort());
  for (const unit of units) {
    const text = (await reader.text(unit)) ?? '';
    for (const rawLine of joinContinuations(text)) {
      const line = rawLine.trim();
      const env1 = /^Environment=(.*)$/.exec(line);
      if (env1) for (const pair of splitCommandLine(env1[1]!)) assignEnv(env, pair);
      const file = /^EnvironmentFile=-?(.*)$/.exec(line);
      if (file) {
        const content = await reader.text(file[1]!.trim());
        for (const envLine of (content ?? '').split('\n')) {
          const trimmed = envLine.trim();
          if (trimmed && !trimmed.startsWith('#')) assignEnv(env, splitCommandLine(trimmed).join(' '));
        }
      }
      const exec = /^ExecStart=(.*)$/.exec(line);
      if (exec) {
        // An empty ExecStart= resets the list (drop-ins override the unit); the last non-empty one runs.
        execStart = exec[1]!.trim() || undefined;
        if (execStart) source = unit;
      }
    }
  }
  if (!execStart) return undefined;
  const expanded = execStart.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
  const argv = splitCommandLine(expanded);
  if (!argv[0] || basename(argv[0]) !== 'kubelet') return undefined;
  return { source: source!, flags: parseFlags(argv.slice(1)), env: {} };
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

function assignEnv(env: Record<string, string>, pair: string): void {
  const eq = pair.indexOf('=');
  if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
}

/** Reads node paths under the root, following symlinks the way the node would (absolute targets stay in the root). */
class NodeReader {
  constructor(private readonly root: string) {}

  async real(nodePath: string, hops = 0): Promise<string | undefined> {
    const local = join(this.root, nodePath);
    const info = await lstat(local).catch(() => undefined);
    if (!info) return undefined;
    if (!info.isSymbolicLink()) return local;
    if (hops >= 8) throw new Error(`${nodePath}: too many symbolic links`);
    const target = await readlink(local);
    return this.real(isAbsolute(target) ? target : posix.join(posix.dirname(nodePath), target), hops + 1);
  }

  async text(nodePath: string): Promise<string | undefined> {
    const local = await this.real(nodePath);
    if (!local) return undefined;
    return readFile(local, 'utf8');
  }

  async list(nodePath: string): Promise<string[]> {
    const local = await this.real(nodePath);
    if (!local) return [];
    return (await readdir(local).catch(() => [])).map((name) => posix.join(nodePath, name));
  }

  async walk(nodePath: string): Promise<string[]> {
    const local = await this.real(nodePath);
    if (!local) return [];
    const out: string[] = [nodePath];
    for (const entry of await readdir(local, { withFileTypes: true })) {
      const child = posix.join(nodePath, entry.name);
      if (entry.isDirectory()) out.push(...(await this.walk(child)));
      else out.push(child);
    }
    return out;
  }

  /** kubelet / kube-proxy and control-plane processes from <root>/proc, when the host's proc tree is mounted there. */
  async processes(): Promise<[ComponentName, string[]][]> {
    const procDir = join(this.root, 'proc');
    const entries = await readdir(procDir).catch(() => [] as string[]);
    const out = new Map<ComponentName, string[]>();
    for (const pid of entries.filter((name) => /^\d+$/.test(name))) {
      const raw = await readFile(join(procDir, pid, 'cmdline')).catch(() => undefined);
      if (!raw || raw.length === 0) continue;
      const argv = raw.toString('utf8').split('\0').filter((part, index, all) => part !== '' || index < all.length - 1);
      const name = basename(argv[0] ?? '') as ComponentName;
      if (['kubelet', 'kube-proxy', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].includes(name) && !out.has(name)) out.set(name, argv);
    }
    return [...out.entries()];
  }
}

const modeEntry = z.string().regex(/^0?[0-7]{3,4} [^\s:]+:[^\s:]+$/, "'<octal mode> <user>:<group>', e.g. '0600 root:root'");
const modesFileSchema = z.record(z.string().startsWith('/'), modeEntry);

async function defaultLookup(root: string, modesFile: string | undefined): Promise<FileModeLookup> {
  const reader = new NodeReader(root);
  const users = await idNames(reader, '/etc/passwd');
  const groups = await idNames(reader, '/etc/group');
  let modes: Record<string, string> = {};
  if (modesFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(modesFile, 'utf8'));
    } catch (error) {
      throw new InvalidConfigError(`k8s: modesFile ${modesFile}: ${describeError(error)}`);
    }
    const result = modesFileSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new InvalidConfigError(`k8s: modesFile ${modesFile}: ${issue.path.join('.') || 'root'}: ${issue.message}`);
    }
    modes = result.data;
  }
  return async (nodePath) => {
    const local = await reader.real(nodePath);
    if (!local) return undefined;
    const info = await lstat(local);
    const override = modes[nodePath];
    if (override) {
      const [mode, owner] = override.split(' ') as [string, string];
      return { path: nodePath, mode: parseInt(mode, 8) & 0o7777, owner, isDirectory: info.isDirectory() };
    }
    const owner = `${users.get(info.uid) ?? (info.uid === 0 ? 'root' : String(info.uid))}:${groups.get(info.gid) ?? (info.gid === 0 ? 'root' : String(info.gid))}`;
    return { path: nodePath, mode: info.mode & 0o7777, owner, isDirectory: info.isDirectory() };
  };
}

/** uid/gid → name from the node's own /etc/passwd or /etc/group (not this machine's). */
async function idNames(reader: NodeReader, path: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const text = await reader.text(path).catch(() => undefined);
  for (const line of (text ?? '').split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && /^\d+$/.test(id)) out.set(Number(id), name);
  }
  return out;
}

