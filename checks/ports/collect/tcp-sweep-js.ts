/**
 * The fallback sweep engine on net.Socket, used when the native addon is not built. Same semantics as native/sweep.c
 * (port-major order, bounded concurrency, one timeout per pass, self-connect guard, retry pass on RST-answering
 * hosts, AbortSignal), about 2-4x slower on a full loopback sweep because every probe pays for a libuv handle and
 * JS callbacks.
 */
import { Socket } from 'node:net';
import {
  ProbeCode,
  SweepAbortedError,
  type EngineOutcome,
  type EngineRequest,
} from './tcp-sweep-contract.js';

export type ConnectOutcome =
  | { readonly kind: 'connected'; readonly localAddress?: string; readonly localPort?: number; readonly remoteAddress?: string; readonly remotePort?: number }
  | { readonly kind: 'error'; readonly code: string };

/**
 * Starts one connect and calls `settle` at most once; returns a function that abandons the attempt (timeout or
 * abort). The seam that lets tests make a probe time out, which loopback cannot do without root firewall rules.
 */
export type ProbeConnector = (address: string, port: number, settle: (outcome: ConnectOutcome) => void) => () => void;

export const netConnector: ProbeConnector = (address, port, settle) => {
  const socket = new Socket();
  socket.once('connect', () => {
    settle({
      kind: 'connected',
      localAddress: socket.localAddress,
      localPort: socket.localPort,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
    });
    socket.destroy();
  });
  socket.once('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', code: error.code ?? 'EUNKNOWN' }));
  socket.connect({ host: address, port });
  return () => socket.destroy();
};

const LOCAL_ERRORS = new Set(['EADDRNOTAVAIL', 'EADDRINUSE', 'EAGAIN', 'ENOBUFS', 'ENOMEM', 'EMFILE', 'ENFILE']);

function stateOfError(code: string): number {
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return ProbeCode.closed;
  if (code === 'ETIMEDOUT') return ProbeCode.filtered;
  if (LOCAL_ERRORS.has(code)) return ProbeCode.localError;
  // EHOSTUNREACH, ENETUNREACH, EACCES/EPERM (local firewall), EAFNOSUPPORT...: the port was not looked at.
  return ProbeCode.unreachable;
}

interface InFlight {
  readonly deadline: number;
  abandon: () => void;
}

interface PassPlan {
  readonly probes: (cursor: number) => number;
  readonly count: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

class JsSweep {
  readonly states: Uint8Array;
  readonly closedPerAddress: Uint32Array;
  retry: number[] = [];
  probes = 0;
  selfConnects = 0;
  localErrors = 0;

  constructor(
    readonly req: EngineRequest,
    readonly connect: ProbeConnector,
  ) {
    this.states = new Uint8Array(req.addresses.length * req.ports.length);
    this.closedPerAddress = new Uint32Array(req.addresses.length);
  }

  settle(probe: number, state: number): void {
    this.states[probe] = state;
    const address = Math.floor(probe / this.req.ports.length);
    if (state === ProbeCode.closed) this.closedPerAddress[address]! += 1;
    if (state === ProbeCode.localError) this.localErrors += 1;
    if (state === ProbeCode.filtered || state === ProbeCode.localError) this.retry.push(probe);
  }

  stateOf(outcome: ConnectOutcome, address: string, port: number): number {
    if (outcome.kind === 'error') return stateOfError(outcome.code);
    // TCP simultaneous open on loopback: the socket connected to itself, nobody listens there.
    const self =
      outcome.localPort === port &&
      (outcome.localAddress === outcome.remoteAddress || outcome.localAddress === address);
    if (!self) return ProbeCode.open;
    this.selfConnects += 1;
    return ProbeCode.closed;
  }

  /** Runs one pass; resolves when every probe settled, rejects with SweepAbortedError on abort. */
  runPass(plan: PassPlan): Promise<void> {
    const { signal } = this.req;
    const nPorts = this.req.ports.length;
    // Map keeps insertion order and every probe of a pass has the same timeout: expired probes are at the front.
    const inFlight = new Map<number, InFlight>();
    let cursor = 0;
    let launching = false;

    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = (error?: Error): void => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
        for (const entry of inFlight.values()) entry.abandon();
        inFlight.clear();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => finish(new SweepAbortedError({ cause: signal?.reason }));

      const launch = (): void => {
        if (launching || finished) return; // a connector that settles synchronously re-enters here
        launching = true;
        try {
          while (!finished && inFlight.size < plan.concurrency && cursor < plan.count) {
            const probe = plan.probes(cursor++);
            const address = this.req.addresses[Math.floor(probe / nPorts)]!;
            const port = this.req.ports[probe % nPorts]!;
            const entry: InFlight = { deadline: performance.now() + plan.timeoutMs, abandon: () => {} };
            inFlight.set(probe, entry);
            this.probes += 1;
            entry.abandon = this.connect(address, port, (outcome) => {
              if (inFlight.get(probe) !== entry) return; // timed out or aborted already
              inFlight.delete(probe);
              this.settle(probe, this.stateOf(outcome, address, port));
              launch();
            });
          }
        } catch (error) {
          finish(error as Error);
        } finally {
          launching = false;
        }
        if (!finished && cursor >= plan.count && inFlight.size === 0) finish();
      };

      const expire = (): void => {
        const now = performance.now();
        for (const [probe, entry] of inFlight) {
          if (entry.deadline > now) break;
          inFlight.delete(probe);
          entry.abandon();
          this.settle(probe, ProbeCode.filtered);
        }
        launch();
      };
      const timer = setInterval(expire, Math.min(50, Math.max(5, Math.floor(plan.timeoutMs / 5))));

      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      launch();
    });
  }

  /** Same rule as native/sweep.c keep_retryable(): retry where a timeout is surprising, and every local error. */
  takeRetryable(): number[] {
    const nPorts = this.req.ports.length;
    const keep = this.retry.filter(
      (probe) =>
        this.states[probe] === ProbeCode.localError || this.closedPerAddress[Math.floor(probe / nPorts)]! > 0,
    );
    this.retry = [];
    return keep;
  }
}

export async function runJsSweep(req: EngineRequest, connect: ProbeConnector = netConnector): Promise<EngineOutcome> {
  const sweep = new JsSweep(req, connect);
  const nAddresses = req.addresses.length;
  const nPorts = req.ports.length;
  await sweep.runPass({
    // port-major: consecutive probes go to different hosts
    probes: (cursor) => (cursor % nAddresses) * nPorts + Math.floor(cursor / nAddresses),
    count: nAddresses * nPorts,
    concurrency: req.concurrency,
    timeoutMs: req.timeoutMs,
  });
  let retried = 0;
  for (let pass = 0; pass < req.retries; pass++) {
    const again = sweep.takeRetryable();
    if (again.length === 0) break;
    retried += again.length;
    await sweep.runPass({
      probes: (cursor) => again[cursor]!,
      count: again.length,
      concurrency: req.retryConcurrency,
      timeoutMs: req.retryTimeoutMs,
    });
  }
  for (const probe of sweep.retry) {
    if (sweep.states[probe] === ProbeCode.localError) sweep.states[probe] = ProbeCode.filtered;
  }
  return {
    states: sweep.states,
    stats: {
      probes: sweep.probes,
      retried,
      selfConnects: sweep.selfConnects,
      localErrors: sweep.localErrors,
      concurrency: req.concurrency,
    },
  };
}
