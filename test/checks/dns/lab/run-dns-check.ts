import type { AnyCheck } from '../../../../src/check-api/types.js';
import { silentLogger } from '../../../../src/log.js';
import type { RunResult } from '../../../../src/runs/run-result.js';
import { executeRun } from '../../../../jobs/runner.js';
import { createDnsResolver } from '../../../../checks/dns/collect/resolver.js';
import { createHttpProbe } from '../../../../checks/dns/collect/http-probe.js';
import { httpOptions } from '../../../../checks/dns/options.js';
import type { RdapFetch } from '../../../../checks/dns/collect/registration.js';
import type { TakeoverLab } from './takeover-lab.js';

/** The seams a dns.* check gets in tests: resolver and HTTP probe aimed at the lab, never at a real name. */
export function labServices(lab: TakeoverLab, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dnsResolver: createDnsResolver({ servers: [lab.resolverAddress], timeoutMs: 250, tries: 1, concurrency: 32, ratePerSecond: 0 }),
    // Generous: the lab's TLS server shares its process (and 2 busy cores) with the checker; a handshake that misses a
    // tight connect timeout would turn a verdict inconclusive and make runs differ.
    httpProbe: createHttpProbe(httpOptions.parse({ connectTimeoutMs: 3000, totalTimeoutMs: 4000 }), { http: lab.httpPort, https: lab.httpsPort }),
    rdapFetch: loopbackOnlyFetch,
    ...extra,
  };
}

/**
 * RDAP questions from a test may only reach the loopback RDAP fake: a test that forgot to point `registration` at it
 * gets a refusal (an `unknown` registration in the evidence) instead of traffic to IANA or a registry.
 */
export const loopbackOnlyFetch: RdapFetch = async (url, init) => {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]' && host !== 'localhost') throw new Error(`test refused to fetch ${url}: not loopback`);
  return fetch(url, init);
};

/** Runs a check end to end through the real runner, with committed cursors carried between runs like the store does. */
export async function runDnsCheck(
  check: AnyCheck,
  options: unknown,
  services: Record<string, unknown>,
  state: { cursors: Record<string, string>; now?: number } = { cursors: {} },
): Promise<RunResult> {
  const result = await executeRun(
    { runId: `run-${Math.random().toString(36).slice(2)}`, checkId: check.id, targetId: 'lab', trigger: 'cli', options, timeoutMs: 30_000 },
    {
      checks: { get: () => check },
      log: silentLogger,
      services,
      readCursors: () => state.cursors,
      ...(state.now !== undefined ? { clock: { now: () => state.now! } } : {}),
    },
  );
  if (result.outcome === 'ok' || result.outcome === 'partial') Object.assign(state.cursors, result.cursorWrites);
  return result;
}
