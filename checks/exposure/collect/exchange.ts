import { connect, type Socket } from 'node:net';

/** How an exchange ended: a complete answer, the peer closing, or one of our timeouts (which mean "could not look"). */
export type ExchangeEnd = 'complete' | 'closed' | 'connect-timeout' | 'timeout' | 'error' | 'aborted';

export interface ExchangeResult {
  readonly data: Buffer;
  readonly end: ExchangeEnd;
  readonly error?: string;
}

export interface ExchangeOptions {
  /** Bytes to send once connected; nothing for server-first protocols. */
  readonly send?: Buffer;
  readonly connectTimeoutMs: number;
  /** From the start of the connect to the last byte we wait for. */
  readonly totalTimeoutMs: number;
  /** Says when the answer is whole, so we do not wait for the server to close. */
  readonly isComplete: (data: Buffer) => boolean;
  /** Upper bound on what we keep; reaching it counts as complete. */
  readonly maxBytes?: number;
  /** Sent after a complete answer before hanging up (a protocol's polite goodbye, e.g. PostgreSQL's Terminate). */
  readonly farewell?: (answer: Buffer) => Buffer | undefined;
  readonly signal?: AbortSignal;
}

/**
 * One connection, one request, one bounded answer. Written on net.Socket because every protocol here needs only a
 * single read-only request and its reply, which no client library exposes without logging in or pooling.
 */
export function exchange(address: string, port: number, options: ExchangeOptions): Promise<ExchangeResult> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    let settled = false;
    let socket: Socket | undefined;
    const finish = (end: ExchangeEnd, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const farewell = end === 'complete' ? options.farewell?.(Buffer.concat(chunks)) : undefined;
      if (farewell && socket) {
        socket.removeAllListeners('data');
        socket.end(farewell);
        setTimeout(() => socket?.destroy(), 250).unref();
      } else socket?.destroy();
      resolve({ data: Buffer.concat(chunks), end, ...(error ? { error } : {}) });
    };
    const onAbort = () => finish('aborted');
    const connectTimer = setTimeout(() => {
      if (!connected) finish('connect-timeout');
    }, options.connectTimeoutMs);
    const totalTimer = setTimeout(() => finish('timeout'), options.totalTimeoutMs);
    if (options.signal?.aborted) return finish('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket = connect({ host: address, port });
    socket.on('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      if (options.send) socket!.write(options.send);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) return finish('complete');
      if (options.isComplete(Buffer.concat(chunks))) finish('complete');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(connected ? 'closed' : 'error', error.code ?? error.message));
    socket.on('close', () => finish('closed'));
  });
}

/** A probe that could not get an answer in time: the endpoint is not covered for the checks that needed it. */
export class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
}

/** The peer said something we could not make sense of, or refused the connection we had just seen open. */
export class ProbeFailed extends Error {
  override readonly name = 'ProbeFailed';
}

export function describeEnd(what: string, result: ExchangeResult, timeoutMs: number): Error {
  if (result.end === 'timeout' || result.end === 'connect-timeout' || result.end === 'aborted') {
    return new ProbeTimeout(`${what}: no ${result.end === 'connect-timeout' ? 'connection' : 'answer'} within ${timeoutMs} ms`);
  }
  return new ProbeFailed(`${what}: ${result.error ?? 'connection closed'} before a complete answer (${result.data.length} bytes)`);
}
