import { promises as dns } from 'node:dns';
import type { z } from 'zod';
import type { resolverOptions } from '../options.js';
import { createLimiter, type Limiter } from './limiter.js';

/** The DNS answer as the checks read it: the rcode class and the record values. */
export const RCODES = ['NOERROR', 'NODATA', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'TIMEOUT', 'ERROR'] as const;
export type Rcode = (typeof RCODES)[number];
export type QueryType = 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'NS';

export interface DnsAnswer {
  readonly rcode: Rcode;
  readonly values: readonly string[];
}

/** The seam every dns.* collector resolves through (`ctx.services.dnsResolver`); tests point it at the loopback lab. */
export interface DnsResolver {
  query(name: string, type: QueryType): Promise<DnsAnswer>;
}

/** SERVFAIL, REFUSED, timeouts and local errors prove nothing about the record: the verdict is inconclusive. */
export function isInconclusive(rcode: Rcode): boolean {
  return rcode === 'SERVFAIL' || rcode === 'REFUSED' || rcode === 'TIMEOUT' || rcode === 'ERROR';
}

// c-ares error codes (what node:dns rejects with) to the DNS outcome they stand for.
const CODE_TO_RCODE: Record<string, Rcode> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NODATA',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ETIMEOUT: 'TIMEOUT',
};

export function rcodeOf(error: unknown): Rcode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && CODE_TO_RCODE[code]) || 'ERROR';
}

/**
 * node:dns (c-ares) resolvers, one per configured server so each gets its own concurrency and rate limit; queries go
 * round-robin. With no servers, one resolver on the system's servers. No extra DNS client is needed: c-ares reports
 * every rcode the checks tell apart.
 */
export function createDnsResolver(options: z.output<typeof resolverOptions>): DnsResolver {
  const servers = options.servers.length > 0 ? options.servers.map((server) => [server]) : [undefined];
  const pool: { resolver: dns.Resolver; limit: Limiter }[] = servers.map((server) => {
    const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: options.tries });
    if (server) resolver.setServers(server);
    return { resolver, limit: createLimiter(options.concurrency, options.ratePerSecond) };
  });
  let turn = 0;
  return {
    async query(name, type) {
      const entry = pool[turn % pool.length]!;
      turn += 1;
      return entry.limit(async () => {
        try {
          return { rcode: 'NOERROR', values: await resolveOne(entry.resolver, name, type) };
        } catch (error) {
          return { rcode: rcodeOf(error), values: [] };
        }
      });
    },
  };
}

async function resolveOne(resolver: dns.Resolver, name: string, type: QueryType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((value) => value.toLowerCase().replace(/\.$/, ''));
    case 'NS':
      return (await resolver.resolveNs(name)).map((value) => value.toLowerCase().replace(/\.$/, ''));
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

export interface ChainResult {
  /** Every name the record leads to, in order, starting with the record's own target. */
  readonly chain: readonly string[];
  /** How the last name in the chain answered: NOERROR (exists), NXDOMAIN, or an inconclusive rcode. */
  readonly rcode: Rcode;
  readonly addresses: readonly string[];
}

const MAX_HOPS = 10;

/** Follows a CNAME chain hop by hop (a recursive resolver answers QTYPE=CNAME with one hop), keeping every name. */
export async function followChain(resolver: DnsResolver, target: string, wantAddresses: (chain: readonly string[]) => boolean): Promise<ChainResult> {
  const chain = [target];
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const current = chain.at(-1)!;
    const answer = await resolver.query(current, 'CNAME');
    if (answer.rcode === 'NOERROR' && answer.values.length > 0) {
      const next = answer.values[0]!;
      if (chain.includes(next)) return { chain: [...chain, next], rcode: 'ERROR', addresses: [] };
      chain.push(next);
      continue;
    }
    if (answer.rcode === 'NODATA' || answer.rcode === 'NOERROR') {
      if (!wantAddresses(chain)) return { chain, rcode: 'NOERROR', addresses: [] };
      const v4 = await resolver.query(current, 'A');
      if (v4.rcode === 'NOERROR' && v4.values.length > 0) return { chain, rcode: 'NOERROR', addresses: v4.values };
      const v6 = await resolver.query(current, 'AAAA');
      if (v6.rcode === 'NOERROR' && v6.values.length > 0) return { chain, rcode: 'NOERROR', addresses: v6.values };
      const failed = isInconclusive(v4.rcode) ? v4.rcode : isInconclusive(v6.rcode) ? v6.rcode : 'NODATA';
      return { chain, rcode: failed, addresses: [] };
    }
    return { chain, rcode: answer.rcode, addresses: [] };
  }
  return { chain, rcode: 'ERROR', addresses: [] };
}
