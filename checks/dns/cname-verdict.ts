import type { FindingInput, JsonValue, Severity } from '../../src/check-api/types.js';
import type { CnameProbe, CnameProbeInventory } from './collect/cname-probes.js';
import { isInconclusive } from './collect/resolver.js';
import { recordResourceId, zoneScope } from './records.js';
import { matchProvider, type ProviderFingerprint } from './takeover-fingerprints.js';

export type Confidence = 'confirmed' | 'potential' | 'inconclusive';

export interface CnameVerdict {
  readonly confidence: Confidence;
  readonly reason: string;
  readonly fingerprint?: ProviderFingerprint;
  /** Set when the verdict is not the provider row's (a registrable domain). */
  readonly claimable?: ProviderFingerprint['claimable'];
  readonly snippet?: string;
}

/**
 * Decides whether a probed CNAME/ALIAS can be taken over. Pure: the probe (chain, rcodes, page) and the zone's
 * verification TXT names in, a verdict or nothing out. Nothing is a finding unless the provider lets someone else
 * claim the name and no mitigation (asuid TXT, verified Pages domain, account-regional bucket, unique hostname) holds.
 */
export function judgeCname(probe: CnameProbe, verificationTxt: ReadonlySet<string>): CnameVerdict | undefined {
  const match = matchProvider(probe.chain);
  const fingerprint = match?.fingerprint;
  if (fingerprint?.claimable === 'no') return undefined;
  if (fingerprint?.negativeTargets?.some((pattern) => probe.chain.some((name) => pattern.test(name)))) return undefined;
  if (fingerprint && isMitigated(fingerprint, probe, match!.matchedName, verificationTxt)) return undefined;

  if (isInconclusive(probe.rcode) || probe.http?.error || probe.mitigationTxt?.inconclusive) {
    if (!fingerprint) return undefined;
    const why = probe.http?.error ? `HTTP probe failed (${probe.http.error})` : probe.mitigationTxt?.inconclusive ? 'the verification TXT lookup failed' : `DNS answered ${probe.rcode}`;
    return { confidence: 'inconclusive', reason: `${why}; a ${fingerprint.provider} ${fingerprint.service} target cannot be judged`, fingerprint };
  }

  if (fingerprint?.nxdomain && probe.rcode === 'NXDOMAIN') {
    return { confidence: fingerprint.claimable === 'yes' ? 'confirmed' : 'potential', reason: `${match!.matchedName} does not exist (NXDOMAIN)`, fingerprint };
  }
  if (fingerprint?.http && probe.http?.body !== undefined) {
    const signal = fingerprint.http;
    const body = probe.http.body;
    const statusOk = signal.status === undefined || probe.http.status === signal.status;
    const negative = fingerprint.negativeBody?.some((text) => body.includes(text));
    if (statusOk && !negative && signal.bodyAll.every((text) => body.includes(text))) {
      const snippet = snippetAround(body, signal.bodyAll[0]!);
      if (signal.nameInBody) {
        const named = signal.nameInBody.exec(body)?.[1];
        const expected = expectedResourceName(probe, match!.matchedName);
        if (named !== expected) {
          return { confidence: 'potential', reason: `provider page says the resource is gone but names '${named ?? '?'}', not '${expected}'`, fingerprint, snippet };
        }
      }
      return { confidence: fingerprint.claimable === 'yes' ? 'confirmed' : 'potential', reason: `the ${fingerprint.provider} ${fingerprint.service} page says the resource does not exist`, fingerprint, snippet };
    }
  }
  if (probe.rcode === 'NXDOMAIN') {
    const last = probe.chain.at(-1);
    const registration = probe.registration;
    if (registration?.status === 'unregistered') {
      return { confidence: 'confirmed', claimable: 'yes', reason: `${last} does not exist and its domain ${registration.domain} is not registered: anyone can register it and answer for this name` };
    }
    if (registration?.status === 'expiring') {
      return { confidence: 'potential', claimable: 'edge', reason: `${last} does not exist and its domain ${registration.domain} has lapsed (${registration.rdapStatus?.join(', ')}): it can be registered once the registry deletes it` };
    }
    return { confidence: 'potential', reason: `${last} does not exist (NXDOMAIN)`, ...(fingerprint ? { fingerprint } : {}) };
  }
  return undefined;
}

/** The bucket the page must name: the label before `.s3` for a virtual-hosted REST name, else the Host we sent. */
function expectedResourceName(probe: CnameProbe, matchedName: string): string {
  const virtualHosted = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(matchedName);
  return virtualHosted && !matchedName.startsWith('s3-website') ? virtualHosted[1]! : probe.probedName;
}

/** The TXT names whose presence binds this record's domain to its owner at the provider (asuid, Pages verification). */
export function mitigationTxtNames(fingerprint: ProviderFingerprint, recordName: string, matchedName: string): string[] {
  const name = recordName.replace(/^\*\./, '');
  const names: string[] = [];
  for (const mitigation of fingerprint.mitigations ?? []) {
    if (mitigation === 'azure-asuid-txt') names.push(`asuid.${name}`);
    if (mitigation === 'github-pages-verified-domain') {
      // Verifying a domain for an organisation covers its subdomains: look for the TXT at every ancestor.
      const org = matchedName.split('.')[0]!;
      const labels = name.split('.');
      for (let index = 0; index < labels.length - 1; index += 1) names.push(`_github-pages-challenge-${org}.${labels.slice(index).join('.')}`);
    }
  }
  return names;
}

function isMitigated(fingerprint: ProviderFingerprint, probe: CnameProbe, matchedName: string, verificationTxt: ReadonlySet<string>): boolean {
  const found = new Set(probe.mitigationTxt?.found ?? []);
  return mitigationTxtNames(fingerprint, probe.name, matchedName).some((name) => verificationTxt.has(name) || found.has(name));
}

function snippetAround(body: string, marker: string): string {
  const at = Math.max(0, body.indexOf(marker));
  return body.slice(Math.max(0, at - 60), at + marker.length + 100).replace(/\s+/g, ' ').trim();
}

export function cnameFindings(inventory: CnameProbeInventory, select: (probe: CnameProbe) => boolean, severityOf: (verdict: CnameVerdict) => Severity, titleOf: (probe: CnameProbe, verdict: CnameVerdict) => string): FindingInput[] {
  const verificationTxt = new Set(inventory.verificationTxt);
  const findings: FindingInput[] = [];
  for (const probe of inventory.probes) {
    if (!select(probe)) continue;
    const verdict = judgeCname(probe, verificationTxt);
    if (!verdict) continue;
    const evidence: Record<string, JsonValue> = {
      confidence: verdict.confidence,
      reason: verdict.reason,
      provider: verdict.fingerprint ? `${verdict.fingerprint.provider}/${verdict.fingerprint.service}` : null,
      claimable: verdict.claimable ?? verdict.fingerprint?.claimable ?? 'unknown',
      via: probe.via,
      probedName: probe.probedName,
      chain: [...probe.chain],
      rcode: probe.rcode,
      addresses: [...probe.addresses],
      registration: probe.registration ? { ...probe.registration, rdapStatus: [...(probe.registration.rdapStatus ?? [])] } : null,
      http: probe.http ? { address: probe.http.address, scheme: probe.http.scheme ?? 'http', status: probe.http.status ?? null, error: probe.http.error ?? null, snippet: verdict.snippet ?? null } : null,
    };
    findings.push({
      resourceId: recordResourceId(probe.zone, probe.name, probe.recordType),
      ...(probe.setIdentifier ? { key: probe.setIdentifier } : {}),
      scope: zoneScope(probe.zone),
      title: titleOf(probe, verdict),
      severity: severityOf(verdict),
      evidence,
      location: { host: probe.probedName },
      tags: [`confidence:${verdict.confidence}`, ...(verdict.fingerprint ? [`provider:${verdict.fingerprint.provider}`] : [])],
      ...(verdict.fingerprint ? { remediation: `${verdict.fingerprint.note} Delete the record (or recreate the resource), then wait for the TTL before deleting anything else.` } : {}),
      ...(verdict.claimable === 'yes' && probe.registration ? { remediation: `Delete the record now: ${probe.registration.domain} can be bought by anyone. Register it yourself only if something still depends on the name.` } : {}),
    });
  }
  return findings;
}
