import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import danglingCname from '../../../checks/dns/dangling-cname.js';
import lameDelegation from '../../../checks/dns/lame-delegation.js';
import wildcardTakeover from '../../../checks/dns/wildcard-takeover.js';
import { createNameserverQuery } from '../../../checks/dns/collect/nameserver-query.js';
import { registrableDomain } from '../../../checks/dns/collect/registration.js';
import { nameserverOptions } from '../../../checks/dns/options.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { labServices, runDnsCheck } from './lab/run-dns-check.js';
import { startFakeRdap, type FakeRdap } from './lab/rdap-server.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

// Real-looking TLDs on purpose (.test is never looked up); every registry here is the loopback fake.
const ZONE = `$ORIGIN example.test.
lapsed   CNAME cdn.lapsed-vendor.com.
expiring CNAME www.expiring-vendor.com.
moved    CNAME old.live-vendor.com.
held     CNAME x.held-vendor.net.
reserved CNAME old.vendor.test.
uk       CNAME a.vendor.co.uk.
*.wild   CNAME w.lapsed-vendor.com.
sub      NS    ns1.gone-dns.org.
`;

describe('registrable domains behind names that do not exist (RDAP on loopback)', () => {
  let lab: TakeoverLab;
  let rdap: FakeRdap;
  let netRegistry: FakeRdap;
  const tempDir = useTempDir('vigil-dns-rdap-');
  beforeAll(async () => {
    lab = await startTakeoverLab({ names: { 'live-vendor.com': { NS: ['ns1.live-vendor.com'] } } });
    rdap = await startFakeRdap({
      tlds: ['com', 'org', 'net'],
      domains: { 'expiring-vendor.com': { status: ['pending delete', 'server hold'], expires: '2026-10-01T00:00:00Z' } },
    });
    // `servers` wins over the bootstrap file for .net.
    netRegistry = await startFakeRdap({ tlds: [], domains: { 'held-vendor.net': { status: ['client hold'] } } });
  });
  afterAll(async () => {
    await lab.close();
    await rdap.close();
    await netRegistry.close();
  });

  const zoneFile = () => {
    const path = join(tempDir(), 'example.test.db');
    writeFileSync(path, ZONE);
    return path;
  };
  const options = (path: string, registration: object = {}) => ({ zones: [{ source: 'bind', path }], registration: { bootstrapUrl: rdap.bootstrapUrl, servers: { net: netRegistry.baseUrl }, ...registration } });

  it('finds the registrable domain by the ICANN suffix list and never for reserved names', () => {
    expect(registrableDomain('a.b.vendor.co.uk')).toBe('vendor.co.uk');
    expect(registrableDomain('cdn.lapsed-vendor.com')).toBe('lapsed-vendor.com');
    // Private suffixes (github.io) are not registries: the registrable domain is github.io itself.
    expect(registrableDomain('acme.github.io')).toBe('github.io');
    expect([registrableDomain('old.vendor.test'), registrableDomain('x.corp.internal'), registrableDomain('1.2.0.192.in-addr.arpa'), registrableDomain('com')]).toEqual([undefined, undefined, undefined, undefined]);
    // Nothing but a host name reaches a registry URL.
    expect([registrableDomain('a.ev%2fil.com'), registrableDomain('x.under_score.com'), registrableDomain('x.xn--bcher-kva.com')]).toEqual([undefined, undefined, 'xn--bcher-kva.com']);
  });

  it('confirms a CNAME whose lapsed domain anyone can register, and keeps registered or lapsing ones potential', async () => {
    const path = zoneFile();
    const before = rdap.requests.length;
    const result = await runDnsCheck(danglingCname as unknown as AnyCheck, options(path), labServices(lab));
    expect(result.outcome).toBe('ok');
    const byName = Object.fromEntries(result.findings.map((f) => [f.resourceId.split('/')[1], [f.severity, f.evidence.confidence, f.evidence.claimable, (f.evidence.registration as { status: string } | null)?.status ?? null]]));
    expect(byName).toEqual({
      'lapsed.example.test': ['high', 'confirmed', 'yes', 'unregistered'],
      'expiring.example.test': ['low', 'potential', 'edge', 'expiring'],
      'moved.example.test': ['low', 'potential', 'unknown', 'registered'],
      'held.example.test': ['low', 'potential', 'unknown', 'registered'],
      'reserved.example.test': ['low', 'potential', 'unknown', null],
      'uk.example.test': ['low', 'potential', 'unknown', 'unknown'],
    });
    const lapsed = result.findings.find((f) => f.resourceId === 'example.test/lapsed.example.test/CNAME')!;
    expect(lapsed.title).toBe('Dangling CNAME lapsed.example.test → cdn.lapsed-vendor.com (lapsed-vendor.com can be registered)');
    expect(lapsed.evidence.registration).toMatchObject({ domain: 'lapsed-vendor.com', source: `${rdap.baseUrl}domain/lapsed-vendor.com` });
    expect(lapsed.remediation).toContain('lapsed-vendor.com can be bought by anyone');
    expect(result.findings.find((f) => f.resourceId.includes('/uk.'))!.evidence.registration).toMatchObject({ detail: 'no RDAP service for .uk' });
    // Delegated domains are settled by DNS alone; the bootstrap file once; each registry question once.
    expect(rdap.requests.slice(before).sort()).toEqual(['/bootstrap/dns.json', '/rdap/domain/expiring-vendor.com', '/rdap/domain/lapsed-vendor.com']);
    expect(netRegistry.requests).toEqual(['/rdap/domain/held-vendor.net']);
  });

  it('makes a wildcard onto a registrable domain high, and a lame delegation to a registrable name server domain says so', async () => {
    const path = zoneFile();
    const wildcard = await runDnsCheck(wildcardTakeover as unknown as AnyCheck, options(path), labServices(lab));
    expect(wildcard.findings.map((f) => [f.resourceId, f.severity, f.evidence.confidence])).toEqual([['example.test/*.wild.example.test/CNAME', 'high', 'confirmed']]);

    const services = labServices(lab, { nameserverQuery: createNameserverQuery(nameserverOptions.parse({ timeoutMs: 200, tries: 1 }), lab.nameserverPort) });
    const lame = await runDnsCheck(lameDelegation as unknown as AnyCheck, options(path), services);
    expect(lame.outcome).toBe('ok');
    expect(lame.findings.map((f) => [f.resourceId, f.severity, f.evidence.confidence, f.evidence.registrableNameserverDomains])).toEqual([['example.test/sub.example.test/NS', 'high', 'confirmed', ['gone-dns.org']]]);
    expect(lame.findings[0]!.title).toContain('name server domain gone-dns.org can be registered');
  });

  it('keeps the finding potential when the registry cannot be asked, without failing the run, and asks again next run', async () => {
    const down = await startFakeRdap({ tlds: ['com', 'net', 'org'], failing: { 'lapsed-vendor.com': 503 } });
    try {
      const path = zoneFile();
      const state = { cursors: {} as Record<string, string>, now: Date.UTC(2026, 10, 23, 9) };
      const opts = { ...options(path), registration: { bootstrapUrl: down.bootstrapUrl } };
      const first = await runDnsCheck(danglingCname as unknown as AnyCheck, opts, labServices(lab), state);
      expect(first.outcome).toBe('ok');
      const lapsed = first.findings.find((f) => f.resourceId === 'example.test/lapsed.example.test/CNAME')!;
      expect([lapsed.severity, lapsed.evidence.confidence, lapsed.evidence.registration]).toEqual(['low', 'potential', expect.objectContaining({ status: 'unknown', detail: 'RDAP answered HTTP 503' })]);
      state.now += 3_600_000;
      const asked = down.requests.length;
      await runDnsCheck(danglingCname as unknown as AnyCheck, opts, labServices(lab), state);
      // Only the unknown one is asked again: the others were conclusive and come from the run cursor.
      expect(down.requests.slice(asked)).toEqual(['/rdap/domain/lapsed-vendor.com']);
    } finally {
      await down.close();
    }
  });

  it('asks no registry when registration checks are off, and never leaves loopback in tests', async () => {
    const path = zoneFile();
    const before = rdap.requests.length;
    const off = await runDnsCheck(danglingCname as unknown as AnyCheck, options(path, { enabled: false }), labServices(lab));
    expect(rdap.requests.length).toBe(before);
    expect(off.findings.find((f) => f.resourceId.includes('/lapsed.'))!.evidence).toMatchObject({ confidence: 'potential', registration: null });

    // With the default (IANA) bootstrap the lab's fetch refuses: the registration is unknown, nothing left the machine.
    const defaults = await runDnsCheck(danglingCname as unknown as AnyCheck, { zones: [{ source: 'bind', path }] }, labServices(lab));
    expect(defaults.findings.find((f) => f.resourceId.includes('/lapsed.'))!.evidence.registration).toMatchObject({ status: 'unknown', detail: expect.stringContaining('not loopback') });
  });
});
