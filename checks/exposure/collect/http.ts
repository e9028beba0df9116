import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ProbeFailed, ProbeTimeout } from './exchange.js';

export interface HttpResponseSummary {
  readonly path: string;
  readonly status: number;
  /** Lower-case names; each value bounded. */
  readonly headers: Readonly<Record<string, string>>;
  readonly title?: string;
  /** The first 8 KiB, for marker matching only: evaluators never copy it into evidence. */
  readonly body: string;
}

export interface HttpReport {
  readonly scheme: 'http' | 'https';
  readonly root: HttpResponseSummary;
  /** Extra paths (see http-fingerprints.ts) that answered. */
  readonly paths: readonly HttpResponseSummary[];
  /** Extra paths that timed out: the exposed-paths check is partial for this endpoint. */
  readonly timedOutPaths: readonly string[];
}

export interface HttpProbeOptions {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly scheme: 'http' | 'https';
  readonly hostHeader?: string;
  readonly paths: readonly string[];
  readonly signal?: AbortSignal;
}

const BODY_LIMIT = 8 * 1024;

/**
 * GET / (unless the caller already has it from identification), then the fingerprint paths over three keep-alive
 * connections: 14 fresh TCP (and TLS) handshakes per endpoint would cost more than the requests themselves.
 */
export async function probeHttp(address: string, port: number, options: HttpProbeOptions & { root?: HttpResponseSummary }): Promise<HttpReport> {
  const started = Date.now();
  const root = options.root ?? (await fetchHttp(address, port, '/', options, options.timeoutMs));
  const remaining = Math.max(options.timeoutMs - (Date.now() - started), 100);
  const others = options.paths.filter((path) => path !== '/');
  const agentOptions = { keepAlive: true, maxSockets: 3, ...(options.scheme === 'https' ? { rejectUnauthorized: false } : {}) };
  const agent = options.scheme === 'https' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  try {
    const results = await Promise.allSettled(others.map((path) => fetchHttp(address, port, path, options, remaining, agent)));
    const paths: HttpResponseSummary[] = [];
    const timedOutPaths: string[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') paths.push(result.value);
      else if (result.reason instanceof ProbeTimeout) timedOutPaths.push(others[index]!);
    });
    return { scheme: options.scheme, root, paths, timedOutPaths };
  } finally {
    agent.destroy();
  }
}

/** One GET with its own connect and total timeout; a fresh connection unless an agent is given. */
export function fetchHttp(
  address: string,
  port: number,
  path: string,
  options: Omit<HttpProbeOptions, 'paths'>,
  timeoutMs: number,
  agent?: HttpAgent,
): Promise<HttpResponseSummary> {
  return new Promise((resolve, reject) => {
    const host = options.hostHeader ?? (address.includes(':') ? `[${address}]` : address);
    const servername = options.hostHeader && !isIP(options.hostHeader) ? options.hostHeader : undefined;
    const request = (options.scheme === 'https' ? httpsRequest : httpRequest)({
      host: address,
      port,
      path,
      method: 'GET',
      agent: agent ?? false,
      headers: {
        Host: port === (options.scheme === 'https' ? 443 : 80) ? host : `${host}:${port}`,
        'User-Agent': 'vigil-exposure-audit',
        Accept: '*/*',
        ...(agent ? {} : { Connection: 'close' }),
      },
      ...(options.scheme === 'https' ? { rejectUnauthorized: false, ...(servername ? { servername } : {}) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let connected = false;
    const fail = (error: Error) => {
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      request.destroy();
      reject(error);
    };
    const connectTimer = setTimeout(() => {
      if (!connected) fail(new ProbeTimeout(`http ${path}: no connection within ${options.connectTimeoutMs} ms`));
    }, options.connectTimeoutMs);
    const totalTimer = setTimeout(() => fail(new ProbeTimeout(`http ${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('socket', (socket) => {
      // A reused keep-alive socket is connected already.
      if (!socket.connecting) connected = true;
      else socket.once(options.scheme === 'https' ? 'secureConnect' : 'connect', () => (connected = true));
    });
    request.on('error', (error: NodeJS.ErrnoException) => fail(options.signal?.aborted ? new ProbeTimeout(`http ${path}: aborted`) : new ProbeFailed(`http ${path}: ${error.code ?? error.message}`)));
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (complete: boolean) => {
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        if (!complete || !agent) request.destroy();
        const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
        const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(body)?.[1]?.trim();
        resolve({ path, status: response.statusCode ?? 0, headers: boundedHeaders(response), ...(title ? { title } : {}), body });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= BODY_LIMIT) finish(false);
      });
      response.on('end', () => finish(true));
      response.on('error', () => finish(false));
      response.on('aborted', () => finish(false));
    });
    request.end();
  });
}

function boundedHeaders(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers).slice(0, 40)) {
    if (value === undefined || name === 'set-cookie') continue;
    out[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 300);
  }
  return out;
}
