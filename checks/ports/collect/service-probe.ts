import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { classifyGreeting, classifyProbeAnswer, mysqlVersion, printableBanner, type ProbeKind, type Service } from '../service-guess.js';

export interface ServiceIdentity {
  readonly service: Service;
  /** Printable, bounded: the greeting or the answer that identified the service. */
  readonly banner: string;
  readonly tls?: { readonly subject?: string; readonly issuer?: string; readonly validTo?: string; readonly protocol?: string };
}

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const PROBES: Record<ProbeKind, Buffer> = {
  http: Buffer.from('GET / HTTP/1.0\r\nUser-Agent: vigil-port-audit\r\n\r\n'),
  redis: Buffer.from('PING\r\n'),
  // SSLRequest: length 8, code 80877103. Harmless to non-PostgreSQL servers and never reaches authentication.
  postgresql: Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]),
};

/**
 * Says what listens on an open port within a bounded time, read-only: first the greeting of server-first protocols,
 * then, for silent ports, one probe per protocol on its own connection (HTTP, Redis, PostgreSQL) and a TLS handshake,
 * in parallel so a silent port costs one timeout, not four.
 */
export async function identifyService(address: string, port: number, options: ProbeOptions): Promise<ServiceIdentity> {
  const greetingWindow = Math.min(options.timeoutMs / 2, 800);
  const greeting = await exchange(address, port, undefined, greetingWindow, options.signal);
  if (greeting.length > 0) {
    const service = classifyGreeting(greeting) ?? 'unknown';
    const version = service === 'mysql' ? mysqlVersion(greeting) : undefined;
    return { service, banner: version ? `MySQL protocol 10, server ${version}` : printableBanner(greeting) };
  }
  const remaining = Math.max(options.timeoutMs - greetingWindow, 200);
  const kinds = Object.keys(PROBES) as ProbeKind[];
  const [tls, ...answers] = await Promise.all([
    tlsHandshake(address, port, remaining, options.signal),
    ...kinds.map((kind) => exchange(address, port, PROBES[kind], remaining, options.signal)),
  ]);
  if (tls) return tls;
  for (const [index, kind] of kinds.entries()) {
    const answer = answers[index]!;
    const service = classifyProbeAnswer(kind, answer);
    if (service) return { service, banner: printableBanner(answer) };
  }
  const anything = answers.find((answer) => answer.length > 0);
  return { service: 'unknown', banner: anything ? printableBanner(anything) : '' };
}

/** Connects, optionally sends a probe, and collects what arrives within the window (at most 4 KiB). */
function exchange(address: string, port: number, probe: Buffer | undefined, windowMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let socket: Socket | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      socket?.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(finish, windowMs);
    if (signal?.aborted) return finish();
    signal?.addEventListener('abort', finish, { once: true });
    socket = connect({ host: address, port });
    socket.on('connect', () => {
      if (probe) socket!.write(probe);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // A probe answer is complete at its first chunk; a greeting may come in pieces, so wait for a line end.
      if (probe || size >= 4096 || chunk.includes(0x0a) || chunk[3] === 0) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

function tlsHandshake(address: string, port: number, windowMs: number, signal?: AbortSignal): Promise<ServiceIdentity | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = tlsConnect({ host: address, port, rejectUnauthorized: false });
    const done = (value: ServiceIdentity | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      socket.destroy();
      resolve(value);
    };
    const abort = () => done(undefined);
    const timer = setTimeout(abort, windowMs);
    signal?.addEventListener('abort', abort, { once: true });
    socket.on('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const subject = cert?.subject?.CN;
      const issuer = cert?.issuer?.CN;
      const protocol = socket.getProtocol() ?? undefined;
      done({
        service: 'tls',
        banner: `TLS ${protocol ?? ''}${subject ? ` subject CN=${subject}` : ''}`.trim(),
        tls: {
          ...(subject ? { subject: String(subject) } : {}),
          ...(issuer ? { issuer: String(issuer) } : {}),
          ...(cert?.valid_to ? { validTo: cert.valid_to } : {}),
          ...(protocol ? { protocol } : {}),
        },
      });
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
