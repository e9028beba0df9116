import { isIP } from 'node:net';
import { checkServerIdentity, connect, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ProbeFailed, ProbeTimeout } from './exchange.js';

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** ms since the epoch, so evaluation compares numbers. */
  readonly notAfter: number;
  readonly notBefore: number;
  readonly keyType: 'rsa' | 'ec' | 'other';
  readonly keyBits?: number;
  readonly curve?: string;
  readonly fingerprint256: string;
  readonly subjectAltName?: string;
  readonly selfIssued: boolean;
}

export type LegacyProtocol = 'TLSv1' | 'TLSv1.1';

export interface TlsReport {
  /** Negotiated with our default (TLS 1.2+) client, if the server allows it. */
  readonly protocol?: string;
  /** Leaf first; stops at a self-issued certificate or when the server sent no more. */
  readonly chain: readonly CertificateSummary[];
  /** OpenSSL's verdict against the trusted roots (Node's bundle plus caFiles); undefined when trusted. */
  readonly verifyError?: string;
  /** Name we checked the certificate against (a configured server name or the host name swept). */
  readonly servername?: string;
  /** Why the certificate does not cover `servername`; undefined when it does or no name was known. */
  readonly hostnameError?: string;
  /** Legacy versions the server completed a handshake with. */
  readonly legacyAccepted: readonly LegacyProtocol[];
  /** Legacy versions whose handshake timed out: not known either way. */
  readonly legacyUntested: readonly LegacyProtocol[];
}

export interface TlsProbeOptions {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly servername?: string;
  readonly ca?: readonly Buffer[];
  readonly signal?: AbortSignal;
  /**
   * Identification only: one handshake that accepts TLS 1.0 to 1.3 (so a TLS 1.0-only server is still recognised),
   * no separate legacy attempts. The triage follows up with the full probe.
   */
  readonly modernOnly?: boolean;
}

interface Handshake {
  readonly ok: boolean;
  readonly timedOut: boolean;
  readonly error?: string;
  readonly socketInfo?: { protocol?: string; cert: DetailedPeerCertificate; authorizationError?: string };
}

/**
 * Three handshakes in parallel: our default client (what a browser would negotiate, with verification against the
 * trusted roots), and one each pinned to TLS 1.1 and TLS 1.0. Node 20's OpenSSL 3 refuses to offer TLS < 1.2 at its
 * default security level, so the legacy attempts lower it ('DEFAULT@SECLEVEL=0'); measured here, a Node server pinned
 * to TLS 1.0 with SECLEVEL=0 completes that handshake, and a default server refuses it, which is what we report.
 */
export async function probeTls(address: string, port: number, options: TlsProbeOptions & { known?: TlsReport }): Promise<TlsReport> {
  if (options.modernOnly) {
    const any = await handshake(address, port, options, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    if (!any.socketInfo) throw handshakeError(any, options.timeoutMs);
    return reportFrom(any.socketInfo, any.socketInfo.protocol, options, []);
  }
  const legacyPins = [
    handshake(address, port, options, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    handshake(address, port, options, { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
  ] as const;
  const [tls10, tls11] = await Promise.all(legacyPins);
  const legacy: [LegacyProtocol, Handshake][] = [
    ['TLSv1', tls10],
    ['TLSv1.1', tls11],
  ];
  if (options.known) {
    // Identification already saw the chain (with verification); only the legacy attempts are new.
    const modernProtocol = options.known.protocol && !/^TLSv1(\.1)?$/.test(options.known.protocol) ? options.known.protocol : undefined;
    const { protocol: _ignored, legacyAccepted: _a, legacyUntested: _u, ...rest } = options.known;
    return { ...rest, ...(modernProtocol ? { protocol: modernProtocol } : {}), ...legacyVerdicts(legacy) };
  }
  const modern = await handshake(address, port, options, {});
  const best = modern.socketInfo ?? tls11.socketInfo ?? tls10.socketInfo;
  if (!best) throw handshakeError(modern, options.timeoutMs);
  return reportFrom(best, modern.socketInfo?.protocol, options, legacy);
}

function handshakeError(attempt: Handshake, timeoutMs: number): Error {
  if (attempt.timedOut) return new ProbeTimeout(`tls: no handshake within ${timeoutMs} ms`);
  return new ProbeFailed(`tls: handshake failed (${attempt.error ?? 'closed'})`);
}

function legacyVerdicts(legacy: readonly [LegacyProtocol, Handshake][]): Pick<TlsReport, 'legacyAccepted' | 'legacyUntested'> {
  return {
    legacyAccepted: legacy.filter(([, h]) => h.ok).map(([name]) => name),
    legacyUntested: legacy.filter(([, h]) => h.timedOut).map(([name]) => name),
  };
}

function reportFrom(best: NonNullable<Handshake['socketInfo']>, protocol: string | undefined, options: TlsProbeOptions, legacy: readonly [LegacyProtocol, Handshake][]): TlsReport {
  const leaf = best.cert;
  const servername = options.servername;
  const hostnameError = servername && leaf.raw ? checkServerIdentity(servername, leaf)?.message : undefined;
  return {
    ...(protocol ? { protocol } : {}),
    chain: summarizeChain(leaf),
    ...(best.authorizationError ? { verifyError: best.authorizationError } : {}),
    ...(servername ? { servername } : {}),
    ...(hostnameError ? { hostnameError: hostnameError.slice(0, 200) } : {}),
    ...legacyVerdicts(legacy),
  };
}

function handshake(
  address: string,
  port: number,
  options: TlsProbeOptions,
  pin: { minVersion?: 'TLSv1' | 'TLSv1.1'; maxVersion?: 'TLSv1' | 'TLSv1.1'; ciphers?: string },
): Promise<Handshake> {
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const servername = options.servername && !isIP(options.servername) ? options.servername : undefined;
    const socket: TLSSocket = connect({
      host: address,
      port,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
      ...(options.ca?.length ? { ca: [...options.ca] } : {}),
      ...pin,
    });
    const done = (result: Handshake) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => done({ ok: false, timedOut: true, error: 'aborted' });
    const connectTimer = setTimeout(() => {
      if (!connected) done({ ok: false, timedOut: true, error: 'connect timeout' });
    }, options.connectTimeoutMs);
    const totalTimer = setTimeout(() => done({ ok: false, timedOut: true, error: 'handshake timeout' }), options.timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
    });
    socket.on('secureConnect', () => {
      const protocol = socket.getProtocol();
      const authorizationError = socket.authorizationError ? String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError) : undefined;
      done({
        ok: true,
        timedOut: false,
        socketInfo: { ...(protocol ? { protocol } : {}), cert: socket.getPeerCertificate(true), ...(authorizationError ? { authorizationError } : {}) },
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, timedOut: false, error: `${error.code ?? ''} ${error.message}`.trim() }));
    socket.on('close', () => done({ ok: false, timedOut: false, error: 'closed' }));
  });
}

function summarizeChain(leaf: DetailedPeerCertificate): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256);
    chain.push(summarize(current));
    const next: DetailedPeerCertificate | undefined = current.issuerCertificate;
    if (!next || next === current) break;
    current = next;
  }
  return chain;
}

function summarize(cert: PeerCertificate): CertificateSummary {
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  const ec = cert as PeerCertificate & { asn1Curve?: string; nistCurve?: string };
  const keyType = cert.modulus ? 'rsa' : ec.asn1Curve || ec.nistCurve ? 'ec' : 'other';
  return {
    subject,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    notBefore: Date.parse(cert.valid_from),
    notAfter: Date.parse(cert.valid_to),
    keyType,
    ...(typeof cert.bits === 'number' ? { keyBits: cert.bits } : {}),
    ...(ec.nistCurve || ec.asn1Curve ? { curve: String(ec.nistCurve ?? ec.asn1Curve) } : {}),
    fingerprint256: cert.fingerprint256,
    ...(cert.subjectaltname ? { subjectAltName: cert.subjectaltname.slice(0, 300) } : {}),
    selfIssued: subject === issuer,
  };
}

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ')
    .slice(0, 200);
}
