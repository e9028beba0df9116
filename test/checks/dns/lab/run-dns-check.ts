import type { AnyCheck } from '../../../../src/check-api/types.js';
import { silentLogger } from '../../../../src/log.js';
import type { RunResult } from '../../../../src/runs/run-result.js';
import { executeRun } from '../../../../jobs/runner.js';
import { createDnsResolver } from '../../../../checks/dns/collect/resolver.js';
import { createHttpProbe } from '../../../../checks/dns/collect/http-probe.js';
import { httpOptions } from '../../../../checks/dns/options.js';
import type { TakeoverLab } from './takeover-lab.js';

/** The seams a dns.* check gets in tests: resolver and HTTP probe aimed at the lab, never at a real name. */
export function labServices(lab: TakeoverLab, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dnsResolver: createDnsResolver({ servers: [lab.resolverAddress], timeoutMs: 250, tries: 1, concurrency: 32, ratePerSecond: 0 }),
    httpProbe: createHttpProbe(httpOptions.parse({ connectTimeoutMs: 500, totalTimeoutMs: 800 }), { http: lab.httpPort, https: lab.httpsPort }),
    ...extra,
  };
}

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
