import { parse } from 'tldts-icann';
import { z } from 'zod';
import type { registrationOptions } from '../options.js';
import { createLimiter } from './limiter.js';
import { isInconclusive, type DnsResolver } from './resolver.js';

/**
 * Whether the registrable domain behind a name that does not exist can be registered by anyone. A CNAME (or NS host)
 * under a domain whose registration lapsed is the cheapest takeover there is: buy the domain, answer for the name.
 *
 * Two steps, so registries are asked only about real candidates: the resolver first (a registered domain is
 * delegated: it has NS records), then RDAP (RFC 9083) for domains the TLD does not delegate. RDAP 404 means the
 * registry has no such domain; `pending delete` / `redemption period` mean it lapsed and will be free soon.
 */
export type RegistrationStatus = 'unregistered' | 'expiring' | 'registered' | 'unknown';

export interface Registration {
  readonly domain: string;
  readonly status: RegistrationStatus;
  /** `dns` (the TLD delegates it), or the RDAP URL asked. */
  readonly source: string;
  readonly rdapStatus?: readonly string[];
  readonly expires?: string;
  /** Why the status is unknown. */
  readonly detail?: string;
}

/** Seam (`ctx.services.rdapFetch`): the fetch RDAP goes through; tests pass one that refuses anything off loopback. */
export type RdapFetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

// RFC 2606, 6761, 7686, 9476 and ICANN's .internal: never registrable, never worth a registry question.
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost', 'local', 'onion', 'alt', 'internal', 'arpa', 'home', 'corp', 'lan']);

/** The registrable domain (ICANN public suffix + one label) of `name`, or nothing for reserved or bare suffixes. */
export function registrableDomain(name: string): string | undefined {
  const parsed = parse(name.toLowerCase(), { allowPrivateDomains: false });
  if (!parsed.domain || !parsed.publicSuffix || parsed.isIp) return undefined;
  const tld = parsed.publicSuffix.split('.').at(-1)!;
  // Only host names (LDH labels, IDNs in punycode) go into a registry URL; anything else in a record is not a domain.
  if (RESERVED_TLDS.has(tld) || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(parsed.domain)) return undefined;
  return parsed.domain;
}

const bootstrapFile = z.object({ services: z.array(z.tuple([z.array(z.string()), z.array(z.string())])) });
const rdapDomain = z.object({
  status: z.array(z.string()).optional(),
  events: z.array(z.object({ eventAction: z.string(), eventDate: z.string().optional() })).optional(),
});

const LAPSED = new Set(['pending delete', 'redemption period', 'pending restore']);
const BOOTSTRAP_TTL_MS = 24 * 3_600_000;
const bootstraps = new Map<string, { at: number; services: Promise<Map<string, string>> }>();

export type RegistrationLookup = (domain: string, signal: AbortSignal) => Promise<Registration>;

/**
 * One lookup per domain per run (memoised), at most `concurrency` registry questions at once (RDAP servers rate-limit
 * hard). The IANA bootstrap file is fetched once per process and day; `servers` overrides it per TLD.
 */
export function createRegistrationLookup(options: z.output<typeof registrationOptions>, resolver: DnsResolver, fetchImpl: RdapFetch = globalFetch): RegistrationLookup {
  const limit = createLimiter(options.concurrency);
  const memo = new Map<string, Promise<Registration>>();
  const baseFor = async (tld: string, signal: AbortSignal): Promise<string | undefined> => {
    const configured = options.servers[tld];
    if (configured) return configured;
    let cached = bootstraps.get(options.bootstrapUrl);
    if (!cached || Date.now() - cached.at > BOOTSTRAP_TTL_MS) {
      cached = { at: Date.now(), services: loadBootstrap(options.bootstrapUrl, fetchImpl, options.timeoutMs, signal) };
      bootstraps.set(options.bootstrapUrl, cached);
      // A failed bootstrap is retried by the next lookup, not cached for a day.
      cached.services.catch(() => bootstraps.delete(options.bootstrapUrl));
    }
    return (await cached.services).get(tld);
  };

  const lookup = async (domain: string, signal: AbortSignal): Promise<Registration> => {
    const ns = await resolver.query(domain, 'NS');
    if (ns.rcode === 'NOERROR' && ns.values.length > 0) return { domain, status: 'registered', source: 'dns' };
    if (isInconclusive(ns.rcode)) return { domain, status: 'unknown', source: 'dns', detail: `NS query answered ${ns.rcode}` };
    const tld = domain.split('.').at(-1)!;
    return limit(async () => {
      let base: string | undefined;
      try {
        base = await baseFor(tld, signal);
      } catch (error) {
        return { domain, status: 'unknown', source: options.bootstrapUrl, detail: `RDAP bootstrap failed: ${messageOf(error)}` };
      }
      if (!base) return { domain, status: 'unknown', source: options.bootstrapUrl, detail: `no RDAP service for .${tld}` };
      const url = `${base.replace(/\/?$/, '/')}domain/${domain}`;
      try {
        const response = await fetchImpl(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]), headers: { accept: 'application/rdap+json' } });
        if (response.status === 404) return { domain, status: 'unregistered', source: url };
        if (response.status !== 200) return { domain, status: 'unknown', source: url, detail: `RDAP answered HTTP ${response.status}` };
        const body = rdapDomain.parse(await response.json());
        const rdapStatus = (body.status ?? []).map((status) => status.toLowerCase());
        const expires = body.events?.find((event) => event.eventAction === 'expiration')?.eventDate;
        return { domain, status: rdapStatus.some((status) => LAPSED.has(status)) ? 'expiring' : 'registered', source: url, rdapStatus, ...(expires ? { expires } : {}) };
      } catch (error) {
        return { domain, status: 'unknown', source: url, detail: messageOf(error) };
      }
    });
  };

  return (domain, signal) => {
    let pending = memo.get(domain);
    if (!pending) {
      pending = lookup(domain, signal);
      memo.set(domain, pending);
    }
    return pending;
  };
}

async function loadBootstrap(url: string, fetchImpl: RdapFetch, timeoutMs: number, signal: AbortSignal): Promise<Map<string, string>> {
  const response = await fetchImpl(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  const file = bootstrapFile.parse(await response.json());
  const services = new Map<string, string>();
  for (const [tlds, urls] of file.services) {
    const base = urls.find((candidate) => candidate.startsWith('https://')) ?? urls[0];
    if (base) for (const tld of tlds) services.set(tld.toLowerCase(), base);
  }
  return services;
}

const globalFetch: RdapFetch = (url, init) => fetch(url, init);

function messageOf(error: unknown): string {
  if (error instanceof z.ZodError) return 'RDAP answer is not a domain object';
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
