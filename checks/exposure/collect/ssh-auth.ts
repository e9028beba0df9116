import { Client } from 'ssh2';
import { ProbeFailed, ProbeTimeout } from './exchange.js';

export interface SshAuthReport {
  /** The server's identification string, e.g. `OpenSSH_9.2p1 Debian-2+deb12u3`. */
  readonly software: string;
  /** Methods the server offers after a `none` attempt; empty when `none` itself was accepted. */
  readonly methods: readonly string[];
  /** The server let us in with no credentials at all. */
  readonly noneAccepted: boolean;
}

export interface SshProbeOptions {
  readonly timeoutMs: number;
  readonly username?: string;
  readonly signal?: AbortSignal;
}

/**
 * Asks the server which authentication methods it offers by attempting `none` (RFC 4252 5.2: the failure answer lists
 * the methods that may continue) through ssh2, a maintained SSH implementation, so key exchange and packet framing
 * are not ours to get wrong. No password or key is ever sent; we hang up as soon as the list arrives.
 */
export function probeSshAuth(address: string, port: number, options: SshProbeOptions): Promise<SshAuthReport> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let software = '';
    const done = (error: Error | undefined, report?: SshAuthReport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.end();
      client.destroy();
      if (error) reject(error);
      else resolve(report!);
    };
    const onAbort = () => done(new ProbeTimeout(`ssh: aborted`));
    const timer = setTimeout(() => done(new ProbeTimeout(`ssh: no authentication answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('ready', () => done(undefined, { software: remoteSoftware(client, software), methods: [], noneAccepted: true }));
    client.on('error', (error: Error & { level?: string }) => {
      if (error.level === 'client-timeout') done(new ProbeTimeout(`ssh: ${error.message}`));
      else done(new ProbeFailed(`ssh: ${error.message}`));
    });
    client.on('close', () => done(new ProbeFailed('ssh: connection closed before the server listed its authentication methods')));
    client.on('greeting', (text: string) => {
      software = software || text;
    });
    client.connect({
      host: address,
      port,
      username: options.username ?? 'vigil-audit',
      readyTimeout: options.timeoutMs,
      // We only read the method list; trusting the host key is harmless because nothing secret is ever sent.
      hostVerifier: () => true,
      authHandler: (methodsLeft: string[] | null, _partial: boolean | null, next: (auth: unknown) => void) => {
        if (methodsLeft === null) return next({ type: 'none', username: options.username ?? 'vigil-audit' });
        done(undefined, { software: remoteSoftware(client, software), methods: [...methodsLeft].sort(), noneAccepted: false });
        return false;
      },
    } as never);
  });
}

function remoteSoftware(client: Client, fallback: string): string {
  const version = (client as unknown as { _remoteVer?: string })._remoteVer;
  return version ?? fallback;
}
