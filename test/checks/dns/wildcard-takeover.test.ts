import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../../checks/dns/wildcard-takeover.js';
import { wildcardProbeName, type CnameProbe, type CnameProbeInventory } from '../../../checks/dns/collect/cname-probes.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { checkTester } from '../../support/check-tester.js';
import { pages } from './lab/provider-pages.js';
import { labServices, runDnsCheck } from './lab/run-dns-check.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

const wildcard = (overrides: Partial<CnameProbe> & Pick<CnameProbe, 'chain' | 'rcode'>): CnameProbe => ({
  zone: 'example.test',
  name: '*.example.test',
  recordType: 'CNAME',
  via: 'wildcard-probe',
  probedName: wildcardProbeName('example.test'),
  addresses: [],
  ...overrides,
});
const inventory = (probes: CnameProbe[]): { wildcards: CnameProbeInventory } => ({ wildcards: { probes, verificationTxt: [], fullPass: true, probed: probes.length, reused: 0 } });
const options = { zones: [{ source: 'records', zone: 'example.test', records: [{ name: 'www', type: 'A', value: '192.0.2.1' }] }] };

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'a wildcard to a live load balancer', options, inventory: inventory([wildcard({ chain: ['lb-1.elb.amazonaws.com'], rcode: 'NOERROR' })]) },
    { name: 'a wildcard to an existing app', options, inventory: inventory([wildcard({ chain: ['app.vendor.test'], rcode: 'NOERROR' })]) },
  ],
  fail: [
    {
      name: 'a wildcard landing on a deleted App Service is high whatever the confidence',
      options,
      inventory: inventory([wildcard({ chain: ['gone.azurewebsites.net'], rcode: 'NXDOMAIN' }), wildcard({ zone: 'other.test', name: '*.dev.other.test', via: 'cname', chain: ['acme.netlify.app'], rcode: 'NOERROR', addresses: ['192.0.2.9'], http: { address: '192.0.2.9', status: 404, body: 'Not Found - Request ID: 1' } })]),
      findings: [
        { resourceId: 'example.test/*.example.test/CNAME', severity: 'high', title: 'Wildcard *.example.test lands on a claimable target' },
        { resourceId: 'other.test/*.dev.other.test/CNAME', severity: 'high', title: 'possibly claimable' },
      ],
    },
  ],
});

describe('dns.wildcard-takeover against the loopback lab', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  beforeAll(async () => {
    lab = await startTakeoverLab({
      names: {
        // Served by the zone's DNS but not in the listing: only the random-label probe can see it.
        '*.hidden.test': { CNAME: 'hidden-app.azurewebsites.net' },
        '*.dev.listed.test': { CNAME: 'acme.netlify.app' },
        'acme.netlify.app': { A: ['127.0.0.1'] },
        '*.safe.test': { CNAME: 'lb-1.eu-west-1.elb.amazonaws.com' },
        'lb-1.eu-west-1.elb.amazonaws.com': { A: ['127.0.0.1'] },
      },
      pages: { [wildcardProbeName('dev.listed.test')]: pages.netlifyMissing },
    });
  });
  afterAll(() => lab.close());

  it('finds an unlisted apex wildcard by a random label and a listed nested wildcard, and nothing in a zone without one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'listed.db'), '$ORIGIN listed.test.\n*.dev CNAME acme.netlify.app.\nwww A 192.0.2.1\n');
    const result = await runDnsCheck(
      check as unknown as AnyCheck,
      {
        zones: [
          { source: 'records', zone: 'hidden.test', records: [{ name: 'www', type: 'A', value: '192.0.2.1' }] },
          { source: 'bind', path: join(dir, 'listed.db') },
          { source: 'records', zone: 'safe.test', records: [{ name: 'www', type: 'A', value: '192.0.2.1' }] },
          { source: 'records', zone: 'plain.test', records: [{ name: 'www', type: 'A', value: '192.0.2.1' }] },
        ],
      },
      labServices(lab),
    );
    expect(result.outcome).toBe('ok');
    expect(result.findings.map((f) => [f.resourceId, f.severity, f.evidence.confidence, f.evidence.via]).sort()).toEqual([
      ['hidden.test/*.hidden.test/CNAME', 'high', 'confirmed', 'wildcard-probe'],
      ['listed.test/*.dev.listed.test/CNAME', 'high', 'potential', 'cname'],
    ]);
  });
});
