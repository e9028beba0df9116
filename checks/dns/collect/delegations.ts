import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { judgeDelegation } from '../delegation-verdict.js';
import type { DnsOptions } from '../options.js';
import { recordScope } from '../records.js';
import { dnsSeams } from './cname-probes.js';
import { forEachConcurrent } from './limiter.js';
import { digestOf, openProbeCache } from './probe-cache.js';
import { registrableDomain, type Registration } from './registration.js';
import { createNameserverQuery, type NameserverQuery, type ServerStatus } from './nameserver-query.js';
import type { Rcode } from './resolver.js';
import { collectZones } from './zones.js';

export interface NameserverState {
  readonly host: string;
  /** How the recursive resolver answered the host's A query. */
  readonly hostRcode: Rcode;
  readonly answers: readonly { readonly address: string; readonly status: ServerStatus }[];
  /** For a host that does not exist: can the domain it sits in be registered (expired NS domain)? */
  readonly registration?: Registration;
}

export interface Delegation {
  readonly zone: string;
  /** The delegated name: a child zone, or the zone apex itself. */
  readonly name: string;
  readonly nameservers: readonly NameserverState[];
}

export interface DelegationInventory {
  readonly delegations: readonly Delegation[];
  readonly fullPass?: boolean;
  /** Delegations whose answers came from the last run's cursor (unchanged NS sets, incremental mode). */
  readonly reused?: number;
}

/**
 * Asks every server of every NS record set, directly and with recursion off, for the delegated zone's SOA. A
 * delegation whose verdict depends on servers that did not answer (timeouts) fails its scope: silence is not proof.
 */
export async function collectDelegations(ctx: CheckContext<DnsOptions>): Promise<Collected<DelegationInventory>> {
  const zones = await collectZones(ctx);
  const { resolver, registration } = dnsSeams(ctx);
  const ask = (ctx.services.nameserverQuery as NameserverQuery | undefined) ?? createNameserverQuery(ctx.options.nameservers);
  const failed: Coverage['failed'][number][] = [...zones.coverage.failed];
  const jobs = zones.data.zones.flatMap((zone) => zone.records.filter((record) => record.type === 'NS').map((record) => ({ zone: zone.name, name: record.name, hosts: [...record.values] })));
  const delegations: Delegation[] = [];
  // Same incremental scheme as CNAME probes: an unchanged NS set reuses its last decided answers until a full pass.
  const cache = openProbeCache<NameserverState[]>(ctx.cursor, 'delegations', { ...ctx.options.incremental, now: ctx.clock.now() });
  let reused = 0;
  await forEachConcurrent(jobs, ctx.options.nameservers.concurrency, ctx.signal, async (job) => {
    const key = `${job.zone}/${job.name}/NS`;
    const digest = digestOf([...job.hosts].sort());
    const cached = cache.reuse(key, digest);
    if (cached) {
      reused += 1;
      delegations.push({ zone: job.zone, name: job.name, nameservers: cached });
      cache.keep(key, digest, cached, true);
      return;
    }
    const nameservers: NameserverState[] = [];
    for (const host of job.hosts) {
      const answer = await resolver.query(host, 'A');
      const answers = answer.rcode === 'NOERROR' ? await Promise.all(answer.values.map(async (address) => ({ address, status: await ask(address, job.name) }))) : [];
      const domain = answer.rcode === 'NXDOMAIN' && registration ? registrableDomain(host) : undefined;
      nameservers.push({ host, hostRcode: answer.rcode, answers, ...(domain ? { registration: await registration!(domain, ctx.signal) } : {}) });
    }
    const delegation = { zone: job.zone, name: job.name, nameservers };
    delegations.push(delegation);
    const decided = judgeDelegation(delegation).kind !== 'undecided';
    cache.keep(key, digest, nameservers, decided && nameservers.every((server) => server.registration?.status !== 'unknown'));
    if (!decided) {
      failed.push({ scope: recordScope(job.zone, job.name, 'NS'), error: { name: 'CollectorUnreachable', message: `name servers of ${job.name} did not all answer; the delegation cannot be judged` } });
    }
  });
  cache.commit();
  delegations.sort((a, b) => `${a.zone}/${a.name}`.localeCompare(`${b.zone}/${b.name}`));
  return { data: { delegations, fullPass: cache.fullPass, reused }, coverage: { ok: zones.coverage.ok, failed, ...(zones.coverage.skipped ? { skipped: zones.coverage.skipped } : {}) } };
}
