import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Raw Kubernetes objects as recorded from a cluster. */
type Raw = Record<string, any>;

export interface FakeApiServer {
  readonly url: string;
  /** PEM of the self-signed serving certificate (HTTPS servers). */
  readonly ca?: string;
  /** Every request: path with query, and the Authorization header. */
  readonly requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export interface FakeApiOptions {
  /** List path (`/api/v1/pods`) → every item of that collection; served in pages of `limit` with `continue`. */
  readonly lists: Record<string, Raw[]>;
  readonly version?: Raw;
  /** Paths answered 403 with a Status object. */
  readonly forbidden?: readonly string[];
  readonly tls?: boolean;
  /** Paths whose first `continue` request is answered 410 Gone (an expired token after etcd compaction). */
  readonly expireFirstContinue?: readonly string[];
}

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI at test time. */
export function loopbackCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-k8s-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=kube-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A kube-apiserver stand-in on 127.0.0.1 that serves recorded List JSON the way the real one pages: `limit` items per
 * response and an opaque `metadata.continue` token until the list is exhausted.
 */
export async function startFakeApiServer(options: FakeApiOptions): Promise<FakeApiServer> {
  const requests: FakeApiServer['requests'] = [];
  const expired = new Set<string>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (options.forbidden?.includes(url.pathname)) {
      return send(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `forbidden: cannot list ${url.pathname}` });
    }
    if (url.searchParams.get('continue') && options.expireFirstContinue?.includes(url.pathname) && !expired.has(url.pathname)) {
      expired.add(url.pathname);
      return send(410, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'The provided continue parameter is too old' });
    }
    if (url.pathname === '/version') return send(200, options.version ?? { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' });
    const items = options.lists[url.pathname];
    if (!items) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
    const limit = Number(url.searchParams.get('limit') ?? items.length) || items.length;
    const token = url.searchParams.get('continue');
    const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8').split(':')[1]) : 0;
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(`rv-1:${offset + limit}`).toString('base64url') : undefined;
    send(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) }, items: page });
  };
  let ca: string | undefined;
  const server = options.tls === false ? createHttpServer(handler) : (() => {
    const { key, cert } = loopbackCertificate();
    ca = cert;
    return createHttpsServer({ key, cert }, handler);
  })();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls === false ? 'http' : 'https'}://127.0.0.1:${port}`,
    ...(ca ? { ca } : {}),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig file with one context per entry; the first is current. */
export function writeKubeconfig(dir: string, contexts: { name: string; server: string; ca?: string; token: string; insecure?: boolean }[]): string {
  const file = join(dir, 'kubeconfig.yaml');
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${contexts[0]!.name}`, 'clusters:'];
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`);
    if (c.ca) lines.push(`    certificate-authority-data: ${Buffer.from(c.ca).toString('base64')}`);
    if (c.insecure) lines.push('    insecure-skip-tls-verify: true');
  }
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  user:', `    token: ${c.token}`);
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
