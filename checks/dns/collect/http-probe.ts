import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIPv6 } from 'node:net';
import type { z } from 'zod';
import type { httpOptions } from '../options.js';

export type HttpScheme = 'https' | 'http';

export interface HttpProbeResult {
  readonly status?: number;
  /** The first `maxBodyBytes` of the body, decoded as UTF-8 (provider error pages are small). */
  readonly body?: string;
  /** Set when no scheme gave a complete answer: the verdict is inconclusive. */
  readonly error?: 'CONNECT_TIMEOUT' | 'TIMEOUT' | 'CONNECT_ERROR' | 'ERROR';
  /** Why each scheme tried failed, e.g. `https: CONNECT_ERROR ECONNREFUSED; http: TIMEOUT ...`. */
  readonly detail?: string;
  /** The scheme whose answer this is (or the last one tried, on error). */
  readonly scheme?: HttpScheme;
}

/**
 * Seam (`ctx.services.httpProbe`): GET / from `address` with `Host: hostname`, trying `schemes` in order until one
 * gives a complete answer. Tests aim it at the loopback lab.
 */
export type HttpProbe = (hostname: string, address: string, signal: AbortSignal, schemes?: readonly HttpScheme[]) => Promise<HttpProbeResult>;

/**
 * GET / with a connect timeout, a total timeout and a body cap per attempt. It connects to the address the resolver
 * gave (never resolving the name itself) and sends the record name as Host (and SNI), as a browser would.
 *
 * HTTPS first: providers increasingly serve only HTTPS (or redirect to it), port 80 is often closed, and the HTTPS
 * answer is the one a visitor gets. A scheme that fails to connect, handshake or answer in time falls through to the
 * next; only when every scheme failed is the probe an error (inconclusive). A plain-HTTP answer that redirects to
 * HTTPS on the same name is followed once, unless HTTPS already failed. Ports are parameters so tests can point every
 * probe at the lab.
 */
export function createHttpProbe(options: z.output<typeof httpOptions>, ports: number | { http?: number; https?: number } = {}): HttpProbe {
  const port = typeof ports === 'number' ? { http: ports, https: 443 } : { http: ports.http ?? 80, https: ports.https ?? 443 };
  return async (hostname, address, signal, schemes = options.schemes) => {
    const failures: string[] = [];
    const tried = new Set<HttpScheme>();
    let last: HttpProbeResult = { error: 'ERROR', detail: 'no scheme to try' };
    const attempt = async (scheme: HttpScheme) => {
      tried.add(scheme);
      const answer = await fetchOnce(scheme, hostname, address, port[scheme], options, signal);
      if (answer.result.error) {
        failures.push(`${scheme}: ${answer.result.error}${answer.result.detail ? ` ${answer.result.detail}` : ''}`);
        last = { ...answer.result, scheme };
      }
      return answer;
    };
    for (const scheme of schemes) {
      if (tried.has(scheme) || signal.aborted) continue;
      const answer = await attempt(scheme);
      if (answer.result.error) continue;
      const status = answer.result.status ?? 0;
      const redirectsToHttps = scheme === 'http' && status >= 301 && status <= 308 && answer.location !== undefined && sameHostHttps(answer.location, hostname);
      if (redirectsToHttps && !tried.has('https')) {
        const secure = await attempt('https');
        if (!secure.result.error) return { ...secure.result, scheme: 'https' };
        continue;
      }
      return { ...answer.result, scheme };
    }
    return { ...last, detail: failures.join('; ') || (last.detail ?? '') };
  };
}

function sameHostHttps(location: string, hostname: string): boolean {
  try {
    const url = new URL(location, `http://${hostname}/`);
    return url.protocol === 'https:' && url.hostname.toLowerCase() === hostname.toLowerCase();
  } catch {
    return false;
  }
}

function fetchOnce(scheme: HttpScheme, hostname: string, address: string, port: number, options: z.output<typeof httpOptions>, outer: AbortSignal): Promise<{ result: HttpProbeResult; location?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (result: HttpProbeResult, location?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      outer.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve({ result, ...(location ? { location } : {}) });
    };
    const connectTimer = setTimeout(() => finish({ error: 'CONNECT_TIMEOUT', detail: `no ${scheme} connection within ${options.connectTimeoutMs} ms` }), options.connectTimeoutMs);
    const totalTimer = setTimeout(() => finish({ error: 'TIMEOUT', detail: `no complete ${scheme} answer within ${options.totalTimeoutMs} ms` }), options.totalTimeoutMs);
    const onAbort = () => finish({ error: 'ERROR', detail: 'aborted' });
    outer.addEventListener('abort', onAbort, { once: true });
    const common: RequestOptions = { host: address, family: isIPv6(address) ? 6 : 4, port, path: '/', method: 'GET', headers: { host: hostname, 'user-agent': 'vigil-takeover-probe', accept: '*/*' } };
    req =
      scheme === 'http'
        ? httpRequest(common)
        : // SNI names the record so the provider picks that site. The certificate is not verified on purpose: we only
          // fingerprint the provider's error page, and an unclaimed name usually has no valid certificate for it.
          httpsRequest({ ...common, servername: hostname, rejectUnauthorized: false });
    req.on('socket', (socket) => socket.once(scheme === 'http' ? 'connect' : 'secureConnect', () => clearTimeout(connectTimer)));
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code === 'ECONNREFUSED' || error.code === 'EHOSTUNREACH' ? 'CONNECT_ERROR' : 'ERROR', detail: error.code ?? error.message }));
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
      const done = () => finish({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }, location);
      response.on('data', (chunk: Buffer) => {
        const room = options.maxBodyBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= options.maxBodyBytes) done();
      });
      response.on('end', done);
      response.on('error', () => finish({ error: 'ERROR', detail: 'response aborted' }));
    });
    req.end();
  });
}
