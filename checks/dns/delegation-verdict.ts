import type { FindingInput, JsonValue } from '../../src/check-api/types.js';
import type { Delegation, NameserverState } from './collect/delegations.js';
import { nameserverProvider } from './nameserver-providers.js';
import { recordResourceId, zoneScope } from './records.js';

export type ServerVerdict = 'ok' | 'lame' | 'unknown';

/**
 * One server: authoritative SOA is ok; REFUSED, SERVFAIL, a non-authoritative answer or a host that does not exist
 * is lame (the server is up and disowns the zone); a timeout or a resolver failure proves nothing.
 */
export function judgeServer(server: NameserverState): ServerVerdict {
  if (server.hostRcode === 'NXDOMAIN' || server.hostRcode === 'NODATA') return 'lame';
  if (server.hostRcode !== 'NOERROR' || server.answers.length === 0) return 'unknown';
  const statuses = server.answers.map((answer) => answer.status);
  if (statuses.includes('authoritative')) return 'ok';
  if (statuses.every((status) => status === 'REFUSED' || status === 'SERVFAIL' || status === 'not-authoritative' || status === 'NXDOMAIN')) return 'lame';
  return 'unknown';
}

export interface DelegationVerdict {
  readonly kind: 'healthy' | 'lame' | 'partially-lame' | 'undecided';
  readonly lame: readonly string[];
  readonly ok: readonly string[];
  readonly unknown: readonly string[];
}

export function judgeDelegation(delegation: Delegation): DelegationVerdict {
  const byVerdict = { ok: [] as string[], lame: [] as string[], unknown: [] as string[] };
  for (const server of delegation.nameservers) byVerdict[judgeServer(server)].push(server.host);
  const kind = byVerdict.lame.length === 0 ? (byVerdict.unknown.length === 0 ? 'healthy' : byVerdict.ok.length > 0 ? 'healthy' : 'undecided') : byVerdict.ok.length > 0 ? 'partially-lame' : byVerdict.unknown.length > 0 ? 'undecided' : 'lame';
  return { kind, ...byVerdict };
}

export function delegationFindings(delegations: readonly Delegation[], wanted: 'lame' | 'partially-lame'): FindingInput[] {
  const findings: FindingInput[] = [];
  for (const delegation of delegations) {
    const verdict = judgeDelegation(delegation);
    if (verdict.kind !== wanted) continue;
    const claimableAt = [...new Set(verdict.lame.map((host) => nameserverProvider(host)?.provider).filter((provider): provider is NonNullable<typeof provider> => provider !== undefined))];
    const missingHosts = delegation.nameservers.filter((server) => server.hostRcode === 'NXDOMAIN').map((server) => server.host);
    // Name server hosts under a domain nobody holds: whoever registers it runs our delegation.
    const registrable = [...new Set(delegation.nameservers.filter((server) => server.registration?.status === 'unregistered').map((server) => server.registration!.domain))];
    const servers: JsonValue = delegation.nameservers.map((server) => ({ host: server.host, hostRcode: server.hostRcode, verdict: judgeServer(server), answers: server.answers.map((answer) => ({ address: answer.address, status: answer.status })) }));
    const isApex = delegation.name === delegation.zone;
    // A registrable name server domain hands the attacker part of the answers even when other servers still serve.
    const severity = registrable.length > 0 ? 'high' : wanted === 'partially-lame' ? 'medium' : claimableAt.length > 0 || missingHosts.length > 0 ? 'high' : 'medium';
    findings.push({
      resourceId: recordResourceId(delegation.zone, delegation.name, 'NS'),
      scope: zoneScope(delegation.zone),
      title:
        wanted === 'lame'
          ? `${isApex ? 'Zone' : 'Delegation of'} ${delegation.name} is lame: no listed name server serves it${claimableAt.length ? ` (${claimableAt.join(', ')})` : ''}${registrable.length ? ` (name server domain ${registrable.join(', ')} can be registered)` : ''}`
          : `Delegation of ${delegation.name} is partially lame: ${verdict.lame.length} of ${delegation.nameservers.length} name servers do not serve it${registrable.length ? ` (name server domain ${registrable.join(', ')} can be registered)` : ''}`,
      severity,
      evidence: {
        confidence: wanted === 'lame' && claimableAt.length === 0 && missingHosts.length === 0 ? 'potential' : 'confirmed',
        lameServers: [...verdict.lame],
        servingServers: [...verdict.ok],
        unansweredServers: [...verdict.unknown],
        claimableAt,
        missingNameserverHosts: missingHosts,
        registrableNameserverDomains: registrable,
        nameserverRegistrations: delegation.nameservers.flatMap((server) => (server.registration ? [{ host: server.host, domain: server.registration.domain, status: server.registration.status, source: server.registration.source }] : [])),
        servers,
      },
      remediation:
        wanted === 'lame'
          ? 'Remove the NS records (or recreate the hosted zone and update the NS records to its servers). A delegation to a deleted hosted zone can be claimed by creating a zone for the same name.'
          : 'Update the NS records to exactly the servers that host the zone; remove the ones that refuse it.',
      tags: [`delegation:${wanted}`, ...claimableAt.map((provider) => `provider:${provider}`)],
    });
  }
  return findings;
}
