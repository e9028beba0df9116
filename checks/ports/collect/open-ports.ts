import type { Collected, CheckContext, Coverage } from '../../../src/check-api/types.js';
import { createHostResolver, HostResolutionError, type ResolveHost } from '../../../src/net/resolve-host.js';
import { cidrSize, expandCidr, normalizeAddress } from '../host-spec.js';
import type { UnexpectedOpenOptions } from '../options.js';
import { identifyService, type ServiceIdentity } from './service-probe.js';
import { defaultSweepOptions, sweepTcp } from './tcp-sweep.js';

export interface SweptHost {
  readonly address: string;
  /** The names and groups through which this address was listed. */
  readonly hostnames: readonly string[];
  readonly groups: readonly string[];
  readonly open: readonly { readonly port: number; readonly identity?: ServiceIdentity }[];
}

export interface OpenPortInventory {
  readonly hosts: readonly SweptHost[];
  readonly portsSwept: number;
  readonly engine: string;
  readonly elapsedMs: number;
}

export function hostScope(address: string): string {
  return `host:${address}`;
}

/**
 * Sweeps every host of every group and reports, per address, which ports answered. An address that answered nothing
 * at all (every probe timed out or was unreachable) is reported as not covered: "no answer" is not "nothing open".
 */
export async function collectOpenPorts(ctx: CheckContext<UnexpectedOpenOptions>): Promise<Collected<OpenPortInventory>> {
  const options = ctx.options;
  const resolveHost = (ctx.services.resolveHost as ResolveHost | undefined) ?? createHostResolver();
  // Seam for tests of the coverage logic: a DROP-ing host cannot be made on loopback without root firewall rules.
  const sweep = (ctx.services.sweepTcp as typeof sweepTcp | undefined) ?? sweepTcp;
  const failed: { scope: string; error: { name: string; message: string } }[] = [];
  const listed = new Map<string, { hostnames: Set<string>; groups: Set<string> }>();
  const note = (address: string, group: string, hostname?: string) => {
    const entry = listed.get(address) ?? { hostnames: new Set(), groups: new Set() };
    entry.groups.add(group);
    if (hostname) entry.hostnames.add(hostname);
    listed.set(address, entry);
  };

  for (const group of options.groups) {
    for (const host of group.hosts) {
      if (host.kind === 'address') note(host.address, group.name);
      else if (host.kind === 'cidr') {
        if (cidrSize(host.cidr) > BigInt(options.maxAddresses)) {
          throw new Error(`CIDR ${host.cidr} in group '${group.name}' exceeds maxAddresses (${options.maxAddresses})`);
        }
        for (const address of expandCidr(host.cidr)) note(address, group.name);
      } else {
        try {
          for (const address of await resolveHost(host.hostname)) note(normalizeAddress(address), group.name, host.hostname);
        } catch (error) {
          const code = error instanceof HostResolutionError ? error.code : 'ERROR';
          failed.push({ scope: `host:${host.hostname}`, error: { name: 'CollectorUnreachable', message: `cannot resolve ${host.hostname} (${code})` } });
        }
      }
    }
  }
  if (listed.size > options.maxAddresses) {
    throw new Error(`${listed.size} addresses to sweep exceed maxAddresses (${options.maxAddresses})`);
  }

  const addresses = [...listed.keys()];
  const swept =
    addresses.length === 0
      ? { engine: 'none', elapsedMs: 0, byAddress: [] as Awaited<ReturnType<typeof sweepTcp>>['byAddress'] }
      : await sweep({
          addresses,
          ports: options.ports,
          concurrency: options.concurrency,
          timeoutMs: options.timeoutMs ?? defaultSweepOptions(addresses).timeoutMs,
          retries: options.retries,
          signal: ctx.signal,
        });

  const ok: string[] = [];
  const hosts: SweptHost[] = [];
  for (const result of swept.byAddress) {
    const answered = result.open.length + result.closed > 0;
    if (!answered) {
      failed.push({
        scope: hostScope(result.address),
        error: { name: 'CollectorUnreachable', message: `no answer on any of ${options.ports.length} ports (${result.filtered.length} timed out, ${result.unreachable} unreachable)` },
      });
      continue;
    }
    ok.push(hostScope(result.address));
    const entry = listed.get(result.address)!;
    hosts.push({ address: result.address, hostnames: [...entry.hostnames].sort(), groups: [...entry.groups].sort(), open: result.open.map((port) => ({ port })) });
  }

  const identified = options.identifyServices ? await identifyUnexpected(hosts, options, ctx.signal) : hosts;
  const coverage: Coverage = { ok, failed };
  return { data: { hosts: identified, portsSwept: options.ports.length, engine: swept.engine, elapsedMs: swept.elapsedMs }, coverage };
}

/** Probes only ports that policy does not expect: they become findings, and their evidence needs a service name. */
async function identifyUnexpected(hosts: SweptHost[], options: UnexpectedOpenOptions, signal: AbortSignal): Promise<SweptHost[]> {
  const expectedByGroup = new Map(options.groups.map((group) => [group.name, new Set(group.expected)]));
  const jobs: Promise<void>[] = [];
  const result = hosts.map((host) => ({ ...host, open: host.open.map((entry) => ({ ...entry })) as { port: number; identity?: ServiceIdentity }[] }));
  const limit = createLimiter(32);
  for (const host of result) {
    for (const entry of host.open) {
      const expected = host.groups.some((group) => expectedByGroup.get(group)?.has(entry.port));
      if (expected) continue;
      jobs.push(
        limit(async () => {
          entry.identity = await identifyService(host.address, entry.port, { timeoutMs: options.identifyTimeoutMs, signal });
        }),
      );
    }
  }
  await Promise.all(jobs);
  return result;
}

function createLimiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}
