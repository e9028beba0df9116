import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { CollectorAccessDenied, CollectorUnreachable, InvalidConfigError, describeError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import type { ClusterInventory } from '../model.js';
import type { K8sOptions } from '../options.js';
import { InventoryBuilder } from './normalize.js';

/**
 * Exactly what the shipped ClusterRole (deploy/k8s/clusterrole.yaml) grants: list on these resources, nothing else.
 * Secrets are deliberately absent: 5.4.1 (secrets in env) reads only pod specs.
 */
export const LISTED_RESOURCES = [
  { kind: 'Namespace', group: '', resource: 'namespaces', path: '/api/v1/namespaces' },
  { kind: 'Pod', group: '', resource: 'pods', path: '/api/v1/pods' },
  { kind: 'ServiceAccount', group: '', resource: 'serviceaccounts', path: '/api/v1/serviceaccounts' },
  { kind: 'Deployment', group: 'apps', resource: 'deployments', path: '/apis/apps/v1/deployments' },
  { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets', path: '/apis/apps/v1/replicasets' },
  { kind: 'DaemonSet', group: 'apps', resource: 'daemonsets', path: '/apis/apps/v1/daemonsets' },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', path: '/apis/apps/v1/statefulsets' },
  { kind: 'Job', group: 'batch', resource: 'jobs', path: '/apis/batch/v1/jobs' },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs', path: '/apis/batch/v1/cronjobs' },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', resource: 'roles', path: '/apis/rbac.authorization.k8s.io/v1/roles' },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', path: '/apis/rbac.authorization.k8s.io/v1/rolebindings' },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles' },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings' },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', resource: 'networkpolicies', path: '/apis/networking.k8s.io/v1/networkpolicies' },
] as const;

class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lists the cluster through @kubernetes/client-node's KubeConfig (kubeconfig context or in-cluster service account:
 * it resolves credentials, exec/OIDC plugins, CA and client certs into an agent and headers). Responses are read as raw
 * JSON rather than through the typed API classes, which drop fields their model does not know and convert every
 * timestamp; pages of `pageSize` objects are projected and released one at a time.
 */
export async function collectClusterFromApi(ctx: CheckContext<K8sOptions>): Promise<Collected<ClusterInventory>> {
  const options = ctx.options;
  const kc = new KubeConfig();
  try {
    if (options.inCluster) kc.loadFromCluster();
    else if (options.kubeconfig) kc.loadFromFile(options.kubeconfig.startsWith('~/') ? join(homedir(), options.kubeconfig.slice(2)) : options.kubeconfig);
    else kc.loadFromDefault();
    if (options.context) kc.setCurrentContext(options.context);
  } catch (error) {
    throw new InvalidConfigError(`k8s: cannot load the kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${describeError(error)}`);
  }
  if (options.context && !kc.getContextObject(options.context)) throw new InvalidConfigError(`k8s: kubeconfig has no context '${options.context}'`);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new InvalidConfigError('k8s: the kubeconfig names no cluster server for the current context');
  const server = cluster.server.replace(/\/+$/, '');
  const scope = `k8s:${server}`;

  const request: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(request);
  } catch (error) {
    throw new InvalidConfigError(`k8s: cannot prepare a connection to ${server}: ${describeError(error)}`);
  }
  const get = (path: string) => getText(server, path, request, ctx.signal);

  const builder = new InventoryBuilder(scope, 'api');
  const failed: Coverage['failed'][number][] = [];
  try {
    builder.setVersion(JSON.parse(await get('/version')));
  } catch (error) {
    // Version only feeds managed-cluster detection; an unreadable /version must not hide every other control.
    ctx.log.warn({ err: describeError(error) }, 'k8s: /version unreadable; managed-cluster detection falls back to hints');
  }
  let done = 0;
  // A few lists at once: while one page is parsed, others are on the wire (the pod list alone is ~100 pages).
  const queue = [...LISTED_RESOURCES];
  const worker = async () => {
    for (let list = queue.shift(); list; list = queue.shift()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      try {
        await listAll(get, list.path, options.pageSize, (item) => builder.add(item, list.kind));
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        failed.push({ scope, error: collectorError(error, `list ${list.resource}`) });
      }
      ctx.progress(++done, LISTED_RESOURCES.length, list.resource);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  failed.sort((a, b) => a.error.message.localeCompare(b.error.message));
  return { data: builder.build(), coverage: { ok: failed.length ? [] : [scope], failed } };
}

const pageUrl = (path: string, limit: number, token: string | undefined) => `${path}?${new URLSearchParams({ limit: String(limit), ...(token ? { continue: token } : {}) })}`;

/**
 * The API server writes a List's metadata before its items, so the next page's token sits in the first bytes: the next
 * request can go out before this page is parsed. Returns undefined when the token is not there (then parse first).
 */
export function earlyContinueToken(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const items = head.indexOf('"items"');
  const match = /"metadata":\{[^{}]*?"continue":"([^"\\]*)"/.exec(head);
  return match && (items === -1 || match.index < items) ? match[1] : undefined;
}

async function listAll(get: (path: string) => Promise<string>, path: string, pageSize: number, onItem: (item: any) => void): Promise<void> {
  let restarted = false;
  let token: string | undefined;
  let pending = get(pageUrl(path, pageSize, undefined));
  for (;;) {
    let text: string;
    try {
      text = await pending;
    } catch (error) {
      // 410 Gone: the continue token expired (compaction); one fresh start is what kubectl does too.
      if (error instanceof ApiStatusError && error.status === 410 && token && !restarted) {
        restarted = true;
        token = undefined;
        pending = get(pageUrl(path, pageSize, undefined));
        continue;
      }
      throw error;
    }
    const early = earlyContinueToken(text);
    const prefetched = early ? get(pageUrl(path, pageSize, early)) : undefined;
    // Observed here so a failure is not unhandled if this page turns out to be the last one; awaited below.
    prefetched?.catch(() => {});
    let page: any;
    try {
      page = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path}: invalid JSON: ${describeError(error)}`);
    }
    text = '';
    if (!Array.isArray(page?.items)) throw new Error(`${path}: response is not a List`);
    for (const item of page.items) onItem(item);
    token = page.metadata?.continue || undefined;
    if (!token) return;
    pending = prefetched && early === token ? prefetched : get(pageUrl(path, pageSize, token));
  }
}

function getText(server: string, path: string, base: https.RequestOptions, signal: AbortSignal): Promise<string> {
  const url = new URL(server + path);
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        agent: base.agent,
        headers: { ...(base.headers ?? {}), Accept: 'application/json' },
        ...(base.auth ? { auth: base.auth } : {}),
        signal,
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            let message = text.slice(0, 200);
            try {
              message = JSON.parse(text).message ?? message;
            } catch {
              // not a Status object; keep the raw prefix
            }
            reject(new ApiStatusError(res.statusCode ?? 0, `HTTP ${res.statusCode}: ${message}`));
            return;
          }
          resolve(text);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: no response in 60 s`)));
    req.on('error', reject);
    req.end();
  });
}

function collectorError(error: unknown, what: string): { name: string; message: string } {
  if (error instanceof ApiStatusError && (error.status === 401 || error.status === 403)) {
    return { name: CollectorAccessDenied.name, message: `${what}: ${error.message}` };
  }
  if (error instanceof ApiStatusError) return { name: 'CollectorApiError', message: `${what}: ${error.message}` };
  return { name: CollectorUnreachable.name, message: `${what}: ${describeError(error)}` };
}
