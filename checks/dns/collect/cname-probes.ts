import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import type { DnsOptions } from '../options.js';
import { isWildcard, recordScope, type DnsRecord, type Zone } from '../records.js';
import { mitigationTxtNames } from '../cname-verdict.js';
import { matchProvider, type ProviderFingerprint } from '../takeover-fingerprints.js';
import { createHttpProbe, type HttpProbe, type HttpProbeResult, type HttpScheme } from './http-probe.js';
import { createLimiter, forEachConcurrent } from './limiter.js';
import { createRegistrationLookup, registrableDomain, type RdapFetch, type Registration, type RegistrationLookup } from './registration.js';
import { digestOf, openProbeCache } from './probe-cache.js';
import { createDnsResolver, followChain, isInconclusive, type DnsResolver, type Rcode } from './resolver.js';
import { collectZones } from './zones.js';

export interface CnameProbe {
  readonly zone: string;
  /** The record's owner name (`*.example.com` for a wildcard). */
  readonly name: string;
  /** CNAME, or A/AAAA for a Route 53 ALIAS record. */
  readonly recordType: 'CNAME' | 'A' | 'AAAA';
  readonly via: 'cname' | 'alias' | 'wildcard-probe';
  readonly setIdentifier?: string;
  /** The name queried and sent as Host: the record name, or a label under a wildcard. */
  readonly probedName: string;
  readonly chain: readonly string[];
  readonly rcode: Rcode;
  readonly addresses: readonly string[];
  readonly http?: HttpProbeResult & { readonly address: string };
  /**
   * Verification TXT records looked up at the resolver for provider targets that honour them (when the listing does
   * not hold them: they may live in a zone Vigil does not read). `inconclusive` when a lookup proved nothing.
   */
  readonly mitigationTxt?: { readonly found: readonly string[]; readonly inconclusive: boolean };
  /** For a chain ending in NXDOMAIN at no known provider: can the lapsed domain behind it be registered? */
  readonly registration?: Registration;
  /** Reused from the last run because the record did not change (incremental mode). */
  readonly cached?: boolean;
}

export interface CnameProbeInventory {
  readonly probes: readonly CnameProbe[];
  /** Owner names of TXT records that bind a domain to its owner (`asuid.*`, `_github-pages-challenge-*`). */
  readonly verificationTxt: readonly string[];
  readonly fullPass: boolean;
  readonly probed: number;
  readonly reused: number;
}

export type ProbeMode = 'records' | 'wildcards';

const MAX_CACHED_BODY = 8192;

/** What the cursor keeps per record: only the answer; the rest is the record itself (100k records ≈ a few MB). */
interface CachedProbe {
  readonly c: readonly string[];
  readonly r: Rcode;
  readonly a: readonly string[];
  readonly h?: CnameProbe['http'];
  readonly m?: CnameProbe['mitigationTxt'];
  readonly g?: Registration;
}

/** A label no zone holds, so an answer for it can only come from a wildcard. Derived from the zone to stay stable. */
export function wildcardProbeName(zone: string): string {
  return `vigil-wildcard-probe-${digestOf(zone).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10)}.${zone}`;
}

/** Seams from `ctx.services`, with production defaults built from the options. */
export function dnsSeams(ctx: CheckContext<DnsOptions>): { resolver: DnsResolver; httpProbe: HttpProbe; registration?: RegistrationLookup } {
  const resolver = (ctx.services.dnsResolver as DnsResolver | undefined) ?? createDnsResolver(ctx.options.resolver);
  const registration = ctx.options.registration.enabled ? createRegistrationLookup(ctx.options.registration, resolver, ctx.services.rdapFetch as RdapFetch | undefined) : undefined;
  return {
    resolver,
    httpProbe: (ctx.services.httpProbe as HttpProbe | undefined) ?? createHttpProbe(ctx.options.http),
    ...(registration ? { registration } : {}),
  };
}

function probeTarget(record: DnsRecord): { target: string; via: 'cname' | 'alias' } | undefined {
  if (record.type === 'CNAME' && record.values[0]) return { target: record.values[0], via: 'cname' };
  if ((record.type === 'A' || record.type === 'AAAA') && record.alias) return { target: record.alias.dnsName, via: 'alias' };
  return undefined;
}

/**
 * Resolves every CNAME and ALIAS record (mode `records`) or every wildcard plus a random label per zone (mode
 * `wildcards`) through the resolver seam, and fetches the provider page where the provider's signal is HTTP.
 * An answer that proves nothing (SERVFAIL, REFUSED, timeout, HTTP failure) fails that record's scope.
 */
export function cnameProbeCollector(mode: ProbeMode) {
  return async function collectCnameProbes(ctx: CheckContext<DnsOptions>): Promise<Collected<CnameProbeInventory>> {
    const zones = await collectZones(ctx);
    const { resolver, httpProbe, registration } = dnsSeams(ctx);
    const httpLimit = createLimiter(ctx.options.http.concurrency);
    const cache = openProbeCache<CachedProbe>(ctx.cursor, `cname-probes:${mode}`, { ...ctx.options.incremental, now: ctx.clock.now() });
    const failed: Coverage['failed'][number][] = [...zones.coverage.failed];
    const probes: CnameProbe[] = [];
    let reused = 0;

    const verificationTxt = zones.data.zones.flatMap((zone) =>
      zone.records.filter((record) => record.type === 'TXT' && /^(asuid\.|_github-pages-challenge-)/.test(record.name)).map((record) => record.name),
    );
    const listedTxt = new Set(verificationTxt);
    const jobs: { zone: Zone; name: string; recordType: CnameProbe['recordType']; via: CnameProbe['via']; probedName: string; target?: string; digest: string; setIdentifier?: string }[] = [];
    for (const zone of zones.data.zones) {
      let zoneHasApexWildcard = false;
      for (const record of zone.records) {
        const wildcard = isWildcard(record.name);
        if ((mode === 'wildcards') !== wildcard) continue;
        const target = probeTarget(record);
        if (!target) continue;
        if (record.name === `*.${zone.name}`) zoneHasApexWildcard = true;
        const probedName = wildcard ? wildcardProbeName(record.name.slice(2)) : record.name;
        jobs.push({ zone, name: record.name, recordType: record.type as CnameProbe['recordType'], via: target.via, probedName, target: target.target, digest: digestOf([record.values, record.alias]), ...(record.setIdentifier ? { setIdentifier: record.setIdentifier } : {}) });
      }
      // A wildcard served by the provider's DNS but absent from the listing (another source, a delegated view).
      if (mode === 'wildcards' && !zoneHasApexWildcard) {
        jobs.push({ zone, name: `*.${zone.name}`, recordType: 'CNAME', via: 'wildcard-probe', probedName: wildcardProbeName(zone.name), digest: '' });
      }
    }

    const workers = Math.max(1, ctx.options.resolver.concurrency * Math.max(1, ctx.options.resolver.servers.length));
    let done = 0;
    await forEachConcurrent(jobs, workers, ctx.signal, async (job) => {
      const recordKey = `${job.zone.name}/${job.name}/${job.recordType}${job.setIdentifier ? `/${job.setIdentifier}` : ''}`;
      const cached = job.via === 'wildcard-probe' ? undefined : cache.reuse(recordKey, job.digest);
      if (cached) {
        probes.push({ zone: job.zone.name, name: job.name, recordType: job.recordType, via: job.via, probedName: job.probedName, ...(job.setIdentifier ? { setIdentifier: job.setIdentifier } : {}), chain: cached.c, rcode: cached.r, addresses: cached.a, ...(cached.h ? { http: cached.h } : {}), ...(cached.m ? { mitigationTxt: cached.m } : {}), ...(cached.g ? { registration: cached.g } : {}), cached: true });
        cache.keep(recordKey, job.digest, cached, true);
        reused += 1;
      } else {
        const probe = await probeOne(job, { resolver, httpProbe, httpLimit, registration }, ctx.signal, listedTxt, ctx.options.http.schemes);
        if (probe) {
          probes.push(probe);
          const conclusive = !isInconclusive(probe.rcode) && !probe.http?.error && !probe.mitigationTxt?.inconclusive;
          if (!conclusive) failed.push({ scope: recordScope(job.zone.name, job.name, job.recordType, job.setIdentifier), error: { name: 'CollectorUnreachable', message: inconclusiveMessage(probe) } });
          // Large pages are not kept: the cursor stays small, and a truncated body could change the verdict. A registry
          // that did not answer does not fail the record (NXDOMAIN is a finding either way) but is asked again next run.
          const reusable = conclusive && (probe.http?.body?.length ?? 0) <= MAX_CACHED_BODY && probe.registration?.status !== 'unknown';
          cache.keep(recordKey, job.digest, { c: probe.chain, r: probe.rcode, a: probe.addresses, ...(probe.http ? { h: probe.http } : {}), ...(probe.mitigationTxt ? { m: probe.mitigationTxt } : {}), ...(probe.registration ? { g: probe.registration } : {}) }, reusable);
        }
      }
      done += 1;
      if (done % 1000 === 0) ctx.progress(done, jobs.length, 'records probed');
    });
    cache.commit();

    // Plain code-unit order: localeCompare costs seconds over 100k records, and names are ASCII anyway.
    const sortKey = (probe: CnameProbe) => `${probe.zone}/${probe.name}/${probe.recordType}/${probe.setIdentifier ?? ''}`;
    const keyed = probes.map((probe) => ({ key: sortKey(probe), probe }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const sorted = keyed.map((entry) => entry.probe);
    return {
      data: { probes: sorted, verificationTxt, fullPass: cache.fullPass, probed: jobs.length - reused, reused },
      coverage: { ok: zones.coverage.ok, failed, ...(zones.coverage.skipped ? { skipped: zones.coverage.skipped } : {}) },
    };
  };
}

async function probeOne(
  job: { zone: Zone; name: string; recordType: CnameProbe['recordType']; via: CnameProbe['via']; probedName: string; target?: string; setIdentifier?: string },
  seams: { resolver: DnsResolver; httpProbe: HttpProbe; httpLimit: ReturnType<typeof createLimiter>; registration?: RegistrationLookup | undefined },
  signal: AbortSignal,
  listedTxt: ReadonlySet<string>,
  schemes: readonly HttpScheme[],
): Promise<CnameProbe | undefined> {
  const { resolver, httpProbe, httpLimit } = seams;
  let target = job.target;
  if (job.via === 'wildcard-probe') {
    const answer = await resolver.query(job.probedName, 'CNAME');
    // No CNAME under a random label: no wildcard CNAME here (NXDOMAIN or an address wildcard), nothing to judge.
    if (answer.rcode === 'NXDOMAIN' || answer.rcode === 'NODATA' || (answer.rcode === 'NOERROR' && answer.values.length === 0)) return undefined;
    if (isInconclusive(answer.rcode)) return { zone: job.zone.name, name: job.name, recordType: job.recordType, via: job.via, probedName: job.probedName, chain: [], rcode: answer.rcode, addresses: [] };
    target = answer.values[0]!;
  }
  const pageSignal = (found: ReturnType<typeof matchProvider>) => found !== undefined && found.fingerprint.http !== undefined && found.fingerprint.claimable !== 'no';
  // The provider is matched once per chain (the table is a few dozen regular expressions; 100k records add up).
  let match: ReturnType<typeof matchProvider>;
  let matchedFor = '';
  const providerOf = (chain: readonly string[]) => {
    const key = chain.join(' ');
    if (key !== matchedFor) {
      matchedFor = key;
      match = matchProvider(chain);
    }
    return match;
  };
  const result = await followChain(resolver, target!, (chain) => pageSignal(providerOf(chain)));
  match = providerOf(result.chain);
  const needsHttp = pageSignal(match);
  const mitigationTxt = (match && result.rcode === 'NXDOMAIN') || needsHttp ? await lookupMitigations(resolver, match, job.name, listedTxt) : undefined;
  // A target no provider row knows that does not exist: whose domain is it, and can anyone buy it?
  const domain = !match && result.rcode === 'NXDOMAIN' && seams.registration ? registrableDomain(result.chain.at(-1)!) : undefined;
  const registration = domain ? await seams.registration!(domain, signal) : undefined;
  const base = { zone: job.zone.name, name: job.name, recordType: job.recordType, via: job.via, probedName: job.probedName, ...(job.setIdentifier ? { setIdentifier: job.setIdentifier } : {}), chain: result.chain, rcode: result.rcode, addresses: result.addresses, ...(mitigationTxt ? { mitigationTxt } : {}), ...(registration ? { registration } : {}) };
  if (result.rcode !== 'NOERROR' || result.addresses.length === 0 || !needsHttp) return base;
  const address = result.addresses[0]!;
  const http = await httpLimit(() => httpProbe(job.probedName, address, signal, schemesFor(match!.fingerprint, schemes)));
  return { ...base, http: { ...http, address } };
}

/** The configured order, narrowed to what the provider serves (S3 website endpoints: HTTP only). */
export function schemesFor(fingerprint: ProviderFingerprint, preferred: readonly HttpScheme[]): readonly HttpScheme[] {
  if (!fingerprint.schemes) return preferred;
  const allowed = preferred.filter((scheme) => fingerprint.schemes!.includes(scheme));
  return allowed.length > 0 ? allowed : fingerprint.schemes;
}

/** Asks the resolver for the verification TXT names the listing does not hold; only for candidates, so it is cheap. */
async function lookupMitigations(resolver: DnsResolver, match: ReturnType<typeof matchProvider>, recordName: string, listedTxt: ReadonlySet<string>): Promise<CnameProbe['mitigationTxt']> {
  if (!match?.fingerprint.mitigations?.length) return undefined;
  const names = mitigationTxtNames(match.fingerprint, recordName, match.matchedName);
  if (names.some((name) => listedTxt.has(name))) return undefined;
  const found: string[] = [];
  let inconclusive = false;
  for (const name of names) {
    const answer = await resolver.query(name, 'TXT');
    if (answer.rcode === 'NOERROR' && answer.values.length > 0) found.push(name);
    else if (isInconclusive(answer.rcode)) inconclusive = true;
  }
  return { found, inconclusive: found.length === 0 && inconclusive };
}

function inconclusiveMessage(probe: CnameProbe): string {
  if (probe.http?.error) return `HTTP probe of ${probe.probedName} via ${probe.http.address} failed (${probe.http.error}${probe.http.detail ? `: ${probe.http.detail}` : ''})`;
  return `${probe.chain.at(-1) ?? probe.probedName} answered ${probe.rcode}: inconclusive`;
}
