/**
 * TCP connect sweep for `ports.unexpected-open`: every (address, port) pair is probed with a plain connect, no root
 * needed. Two engines with one behaviour: the native addon (checks/ports/native, epoll on a pool thread, about 2x
 * faster than `nmap -sT -T4` on a full loopback sweep) and a net.Socket fallback for machines where it isn't built.
 */
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { InvalidConfigError } from '../../../src/check-api/errors.js';
import {
  MAX_TIMEOUT_MS,
  ProbeCode,
  SweepAbortedError,
  retryPlan,
  type EngineOutcome,
  type EngineRequest,
  type EngineStats,
} from './tcp-sweep-contract.js';
import { runJsSweep } from './tcp-sweep-js.js';
import { nativeSweepAvailable, nativeSweepLoadError, runNativeSweep } from './tcp-sweep-native.js';

export { nativeSweepAvailable, SweepAbortedError };
export type { EngineStats };

export type ProbeState = 'open' | 'closed' | 'filtered' | 'unreachable';

export interface SweepRequest {
  addresses: string[];
  ports: number[];
  concurrency: number;
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
  engine?: 'auto' | 'native' | 'js';
}

export interface AddressSweep {
  address: string;
  /** ascending */
  open: number[];
  /** refused (RST), including dropped self-connect phantoms */
  closed: number;
  /** no answer within the timeout, after the retry passes; ascending */
  filtered: number[];
  /** EHOSTUNREACH, ENETUNREACH, a local firewall...: these ports were not looked at */
  unreachable: number;
}

export interface SweepResult {
  engine: 'native' | 'js';
  elapsedMs: number;
  byAddress: AddressSweep[];
  stats: EngineStats;
}

export type SweepOptions = Pick<SweepRequest, 'concurrency' | 'timeoutMs' | 'retries'>;

/**
 * Defaults, measured on a 2-vCPU box (bench/ports.js; full 1-65535 sweeps of 127.0.0.1, 5 runs per setting):
 * - Loopback, native engine: the kernel answers inside connect(), so concurrency does not matter (10 to 5,000 in
 *   flight: medians 1.12-1.14 s) and no probe timed out even with 20 ms while 3 sweeps and 2 busy loops shared the
 *   2 cores. The JS engine is best at 50-200 in flight (3.8 s; 2,000: 4.3 s) and, under that same contention, 100 ms
 *   with no retry lost ~19k probes (and real listeners) to timeouts; 300 ms plus one retry pass lost none.
 *   Hence 500 (the same as for networks; nothing to gain either way) and 300 ms + 1 retry.
 * - Real networks: a DROP-ing host costs ceil(ports / concurrency) x timeout, so 500 x 1 s is ~2 min for 65,535
 *   filtered ports; retries only go to hosts that also sent RSTs, so DROP hosts are not swept twice.
 */
export const SWEEP_DEFAULTS = {
  loopback: { concurrency: 500, timeoutMs: 300, retries: 1 },
  network: { concurrency: 500, timeoutMs: 1000, retries: 1 },
} as const satisfies Record<string, SweepOptions>;

export function defaultSweepOptions(addresses: readonly string[]): SweepOptions {
  return addresses.every(isLoopback) ? SWEEP_DEFAULTS.loopback : SWEEP_DEFAULTS.network;
}

export function isLoopback(address: string): boolean {
  return (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
}

export async function sweepTcp(req: SweepRequest): Promise<SweepResult> {
  const engineRequest = validate(req);
  const engine = chooseEngine(req.engine ?? 'auto');
  const started = performance.now();
  const outcome = engine === 'native' ? await runNativeSweep(engineRequest) : await runJsSweep(engineRequest);
  return {
    engine,
    elapsedMs: performance.now() - started,
    byAddress: summarize(engineRequest, outcome),
    stats: outcome.stats,
  };
}

function chooseEngine(wanted: 'auto' | 'native' | 'js'): 'native' | 'js' {
  if (wanted === 'js') return 'js';
  if (nativeSweepAvailable()) return 'native';
  if (wanted === 'auto') return 'js';
  throw new InvalidConfigError(
    'engine "native" was requested but checks/ports/native/build/Release/tcp_sweep.node is not built ' +
      '(npm install builds it; or: npx node-gyp rebuild --directory=checks/ports/native)',
    { cause: nativeSweepLoadError() },
  );
}

function summarize(req: EngineRequest, { states }: EngineOutcome): AddressSweep[] {
  const nPorts = req.ports.length;
  return req.addresses.map((address, a) => {
    const sweep: AddressSweep = { address, open: [], closed: 0, filtered: [], unreachable: 0 };
    for (let p = 0; p < nPorts; p++) {
      const state = states[a * nPorts + p];
      const port = req.ports[p]!;
      if (state === ProbeCode.open) sweep.open.push(port);
      else if (state === ProbeCode.closed) sweep.closed += 1;
      else if (state === ProbeCode.unreachable) sweep.unreachable += 1;
      // filtered, and anything an engine left unsettled: we did not get an answer, so never report it as closed
      else sweep.filtered.push(port);
    }
    return sweep;
  });
}

function validate(req: SweepRequest): EngineRequest {
  if (!Array.isArray(req.addresses) || req.addresses.length === 0) {
    throw new InvalidConfigError('addresses must be a non-empty array of IP literals');
  }
  for (const address of req.addresses) {
    if (typeof address !== 'string' || isIP(address) === 0) {
      throw new InvalidConfigError(`address ${JSON.stringify(address)} is not an IPv4 or IPv6 literal`);
    }
  }
  if (!Array.isArray(req.ports) || req.ports.length === 0) {
    throw new InvalidConfigError('ports must be a non-empty array of integers 1-65535');
  }
  for (const port of req.ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InvalidConfigError(`port ${JSON.stringify(port)} is outside 1-65535`);
    }
  }
  requireInteger('concurrency', req.concurrency, 1, 100_000);
  requireInteger('timeoutMs', req.timeoutMs, 1, MAX_TIMEOUT_MS);
  requireInteger('retries', req.retries, 0, 10);
  if (req.engine !== undefined && !['auto', 'native', 'js'].includes(req.engine)) {
    throw new InvalidConfigError(`engine must be "auto", "native" or "js", not ${JSON.stringify(req.engine)}`);
  }
  if (req.signal?.aborted) throw new SweepAbortedError({ cause: req.signal.reason });

  // Overlapping ranges ("1-1024" plus "22") are normal in config, so duplicates are merged rather than refused.
  const ports = Uint16Array.from(new Set(req.ports)).sort();
  const addresses = [...new Set(req.addresses)];
  return {
    addresses,
    ports,
    concurrency: req.concurrency,
    timeoutMs: req.timeoutMs,
    retries: req.retries,
    ...retryPlan(req.concurrency, req.timeoutMs),
    ...(req.signal ? { signal: req.signal } : {}),
  };
}

function requireInteger(name: string, value: unknown, min: number, max: number): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new InvalidConfigError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
}
