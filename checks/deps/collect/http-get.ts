import { CollectorAccessDenied, CollectorUnreachable } from '../../../src/check-api/errors.js';

export interface HttpGetOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly username?: string;
  readonly password?: string;
  readonly accept?: string;
}

/** GET with a timeout, optional Basic auth, and errors named by what happens next (retry later vs fix credentials). */
export async function httpGet(url: string, options: HttpGetOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.accept) headers.accept = options.accept;
  if (options.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CollectorUnreachable(`GET ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (response.status === 401 || response.status === 403) throw new CollectorAccessDenied(`GET ${url}: HTTP ${response.status}`);
  if (!response.ok) throw new CollectorUnreachable(`GET ${url}: HTTP ${response.status}`);
  return response;
}

export async function httpGetJson(url: string, options: HttpGetOptions): Promise<unknown> {
  const response = await httpGet(url, { ...options, accept: options.accept ?? 'application/json' });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new CollectorUnreachable(`GET ${url}: response is not JSON`);
  }
}

export async function httpGetBytes(url: string, options: HttpGetOptions): Promise<Buffer> {
  return Buffer.from(await (await httpGet(url, options)).arrayBuffer());
}
