import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../../checks/dns/dangling-cname.js';
import type { CnameProbe, CnameProbeInventory } from '../../../checks/dns/collect/cname-probes.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { checkTester } from '../../support/check-tester.js';
import { EXAMPLE_LAB, EXAMPLE_ZONE, FLAKY_LAB, FLAKY_ZONE } from './lab/example-zone.js';
import { pages } from './lab/provider-pages.js';
import { labServices, runDnsCheck } from './lab/run-dns-check.js';
import { selfSignedCertificate } from './lab/self-signed.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

const probe = (overrides: Partial<CnameProbe> & Pick<CnameProbe, 'name' | 'chain' | 'rcode'>): CnameProbe => ({
  zone: 'example.test',
  recordType: 'CNAME',
  via: 'cname',
  probedName: overrides.name,
  addresses: [],
  ...overrides,
});
const inventory = (probes: CnameProbe[], verificationTxt: string[] = []): { cnames: CnameProbeInventory } => ({
  cnames: { probes, verificationTxt, fullPass: true, probed: probes.length, reused: 0 },
});
const options = { zones: [{ source: 'bind', path: '/zones/example.test.db' }] };
const s3Page = (bucket: string) => ({ address: '192.0.2.10', status: 404, body: `<li>Code: NoSuchBucket</li><li>Message: The specified bucket does not exist</li><li>BucketName: ${bucket}</li>` });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'a CloudFront target that is gone cannot be claimed', options, inventory: inventory([probe({ name: 'cdn.example.test', chain: ['d1.cloudfront.net'], rcode: 'NXDOMAIN' })]) },
    {
      name: 'an asuid TXT binds the App Service name to our tenant',
      options,
      inventory: inventory([probe({ name: 'app.example.test', chain: ['app.azurewebsites.net'], rcode: 'NXDOMAIN' })], ['asuid.app.example.test']),
    },
    {
      name: 'an S3 bucket that exists (AccessDenied) is no finding',
      options,
      inventory: inventory([probe({ name: 's.example.test', chain: ['s.example.test.s3-website-us-east-1.amazonaws.com'], rcode: 'NOERROR', addresses: ['192.0.2.10'], http: { address: '192.0.2.10', status: 403, body: '<Code>AccessDenied</Code>' } })]),
    },
  ],
  fail: [
    {
      name: 'S3 NoSuchBucket naming the bucket is confirmed',
      options,
      inventory: inventory([probe({ name: 's.example.test', chain: ['s.example.test.s3-website-us-east-1.amazonaws.com'], rcode: 'NOERROR', addresses: ['192.0.2.10'], http: s3Page('s.example.test') })]),
      findings: [{ resourceId: 'example.test/s.example.test/CNAME', severity: 'high', scope: 'zone:example.test', title: 'Dangling CNAME s.example.test' }],
    },
    {
      name: 'an ALIAS record to an S3 website endpoint is judged like a CNAME',
      options,
      inventory: inventory([probe({ name: 'example.test', recordType: 'A', via: 'alias', chain: ['s3-website-us-east-1.amazonaws.com'], rcode: 'NOERROR', addresses: ['192.0.2.10'], http: s3Page('example.test') })]),
      findings: [{ resourceId: 'example.test/example.test/A', severity: 'high', title: 'Dangling ALIAS example.test' }],
    },
    {
      name: 'an unknown target that does not exist is a low potential finding, a GitHub Pages 404 a medium one',
      options,
      inventory: inventory([
        probe({ name: 'gone.example.test', chain: ['old.vendor.test'], rcode: 'NXDOMAIN' }),
        probe({ name: 'docs.example.test', chain: ['acme.github.io'], rcode: 'NOERROR', addresses: ['192.0.2.20'], http: { address: '192.0.2.20', status: 404, body: "There isn't a GitHub Pages site here." } }),
      ]),
      findings: [
        { resourceId: 'example.test/gone.example.test/CNAME', severity: 'low', title: 'Possibly dangling' },
        { resourceId: 'example.test/docs.example.test/CNAME', severity: 'medium', title: '(github pages)' },
      ],
    },
  ],
  partial: [
    {
      name: 'a SERVFAIL record fails its own scope',
      options,
      collected: {
        cnames: {
          data: inventory([probe({ name: 'flaky.example.test', chain: ['x.azurewebsites.net'], rcode: 'SERVFAIL' })]).cnames,
          coverage: { ok: ['zone:example.test'], failed: [{ scope: 'record:example.test/flaky.example.test/CNAME', error: { name: 'CollectorUnreachable', message: 'SERVFAIL' } }] },
        },
      },
      failedScopes: ['record:example.test/flaky.example.test/CNAME'],
    },
  ],
});

describe('dns.dangling-cname against the loopback lab', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  beforeAll(async () => {
    lab = await startTakeoverLab({ names: { ...EXAMPLE_LAB.names, ...FLAKY_LAB.names }, pages: { ...EXAMPLE_LAB.pages, ...FLAKY_LAB.pages } });
  });
  afterAll(() => lab.close());

  it('finds exactly the claimable records of a BIND zone, by DNS answer and by provider page', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'example.test.db'), EXAMPLE_ZONE);
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [{ source: 'bind', path: join(dir, 'example.test.db') }] }, labServices(lab));
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toEqual(['zone:example.test']);
    expect(result.coverage.skipped).toEqual([{ scope: 'zone:example.test', reason: expect.stringContaining('DNSSEC'), count: 1 }]);
    const byRecord = Object.fromEntries(result.findings.map((f) => [f.resourceId.split('/')[1], { severity: f.severity, confidence: f.evidence.confidence }]));
    expect(byRecord).toEqual({
      'static.example.test': { severity: 'high', confidence: 'confirmed' },
      'assets.example.test': { severity: 'high', confidence: 'confirmed' },
      'other.example.test': { severity: 'medium', confidence: 'potential' },
      'app.example.test': { severity: 'high', confidence: 'confirmed' },
      'eb.example.test': { severity: 'high', confidence: 'confirmed' },
      'docs.example.test': { severity: 'medium', confidence: 'potential' },
      'api.example.test': { severity: 'medium', confidence: 'potential' },
      'shop.example.test': { severity: 'medium', confidence: 'potential' },
      'www.example.test': { severity: 'medium', confidence: 'potential' },
      'gone.example.test': { severity: 'low', confidence: 'potential' },
      'chain.example.test': { severity: 'high', confidence: 'confirmed' },
    });
    const chained = result.findings.find((f) => f.resourceId === 'example.test/chain.example.test/CNAME')!;
    expect(chained.evidence).toMatchObject({ chain: ['alias.vendor.test', 'ghost-app.azurewebsites.net'], rcode: 'NXDOMAIN', provider: 'azure/app-service' });
    const bucket = result.findings.find((f) => f.resourceId === 'example.test/static.example.test/CNAME')!;
    expect(bucket.evidence).toMatchObject({ http: { address: '127.0.0.1', status: 404, error: null, snippet: expect.stringContaining('NoSuchBucket') } });
  });

  it('reads a plain record list and inline records the same way', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'list.txt'), '# exported from the registrar\nstatic CNAME static.example.test.s3-website-us-east-1.amazonaws.com\ncdn.example.test CNAME d111111abcdef8.cloudfront.net\n');
    const result = await runDnsCheck(
      check as unknown as AnyCheck,
      {
        zones: [
          { source: 'record-list', zone: 'example.test', path: join(dir, 'list.txt') },
          { source: 'records', zone: 'other.test', records: [{ name: 'app', type: 'CNAME', value: 'contoso-app.azurewebsites.net' }] },
        ],
      },
      labServices(lab),
    );
    expect(result.outcome).toBe('ok');
    expect(result.findings.map((f) => `${f.resourceId} ${f.severity}`).sort()).toEqual(['example.test/static.example.test/CNAME high', 'other.test/app.other.test/CNAME high']);
  });

  it('makes the run partial for records whose answer proves nothing, and for a zone that cannot be read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'flaky.test.db'), FLAKY_ZONE);
    const result = await runDnsCheck(
      check as unknown as AnyCheck,
      { zones: [{ source: 'bind', path: join(dir, 'flaky.test.db') }, { source: 'record-list', zone: 'missing.test', path: join(dir, 'nope.txt') }] },
      labServices(lab),
    );
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => f.scope).sort()).toEqual([
      'record:flaky.test/flaky.flaky.test/CNAME',
      'record:flaky.test/hang.flaky.test/CNAME',
      'record:flaky.test/slow.flaky.test/CNAME',
      'record:flaky.test/txtfail.flaky.test/CNAME',
      'zone:missing.test',
    ]);
    expect(result.coverage.failed.find((f) => f.scope.includes('slow'))!.error.message).toContain('TIMEOUT');
    expect(result.coverage.failed.find((f) => f.scope.includes('hang'))!.error.message).toContain('TIMEOUT');
    // Provider targets that could not be judged are visible as inconclusive, never as takeovers.
    expect(result.findings.map((f) => [f.resourceId, f.severity, f.evidence.confidence]).sort()).toEqual([
      ['flaky.test/flaky.flaky.test/CNAME', 'info', 'inconclusive'],
      ['flaky.test/hang.flaky.test/CNAME', 'info', 'inconclusive'],
      ['flaky.test/txtfail.flaky.test/CNAME', 'info', 'inconclusive'],
    ]);
  });

  it('parses a zone file once while it is unchanged, and again as soon as it changes (even to the same size)', async () => {
    const dir = tempDir();
    const path = join(dir, 'same.test.db');
    writeFileSync(path, '$ORIGIN same.test.\naaa CNAME d111111abcdef8.cloudfront.net.\n');
    const opts = { zones: [{ source: 'bind', path }], incremental: { enabled: false } };
    expect((await runDnsCheck(check as unknown as AnyCheck, opts, labServices(lab))).findings).toEqual([]);
    expect((await runDnsCheck(check as unknown as AnyCheck, opts, labServices(lab))).findings).toEqual([]);
    const before = '$ORIGIN same.test.\naaa CNAME d111111abcdef8.cloudfront.net.\n';
    const after = '$ORIGIN same.test.\naaa CNAME gone-app-xy.azurewebsites.net.\n';
    expect(after.length).toBe(before.length);
    writeFileSync(path, after);
    const changed = await runDnsCheck(check as unknown as AnyCheck, opts, labServices(lab));
    expect(changed.findings.map((f) => [f.resourceId, f.evidence.chain])).toEqual([['same.test/aaa.same.test/CNAME', ['gone-app-xy.azurewebsites.net']]]);
  });

  it('reports a zone file syntax error with its line and still reads the other zones', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.db'), '$ORIGIN bad.test.\nwww CNAME\n');
    writeFileSync(join(dir, 'example.test.db'), EXAMPLE_ZONE);
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [{ source: 'bind', path: join(dir, 'bad.db') }, { source: 'bind', path: join(dir, 'example.test.db') }] }, labServices(lab));
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed).toEqual([{ scope: `zonefile:${join(dir, 'bad.db')}`, error: { name: 'InvalidZoneData', message: `${join(dir, 'bad.db')}:2: CNAME needs 1 field(s), got 0` } }]);
    expect(result.findings.length).toBe(11);
  });
});

describe('dns.dangling-cname probes HTTPS first, then HTTP', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  const ZONE = [
    '$ORIGIN example.test.',
    'secure CNAME acme-secure.netlify.app.',
    'live CNAME acme-live.netlify.app.',
    'fallback CNAME acme-fallback.github.io.',
    'nowhere CNAME acme-nowhere.github.io.',
    'bucket CNAME bucket.example.test.s3-website-us-east-1.amazonaws.com.',
    '',
  ].join('\n');
  beforeAll(async () => {
    lab = await startTakeoverLab({
      names: {
        'acme-secure.netlify.app': { A: ['127.0.0.1'] },
        'acme-live.netlify.app': { A: ['127.0.0.1'] },
        'acme-fallback.github.io': { A: ['127.0.0.1'] },
        'acme-nowhere.github.io': { A: ['127.0.0.1'] },
        '*.s3-website-us-east-1.amazonaws.com': { A: ['127.0.0.1'] },
      },
      pages: {
        'secure.example.test': { status: 301, body: '', redirectHttps: true },
        'live.example.test': { status: 301, body: '', redirectHttps: true },
        'fallback.example.test': pages.githubPagesMissing,
        'nowhere.example.test': { status: 200, body: '', hang: true },
        'bucket.example.test': pages.s3NoSuchBucket('bucket.example.test'),
      },
      httpsPages: { 'secure.example.test': pages.netlifyMissing },
      // GitHub Pages without a certificate for the name: the handshake fails and HTTP is tried next.
      tlsRefused: ['fallback.example.test', 'nowhere.example.test'],
      tls: selfSignedCertificate(),
    });
  });
  afterAll(() => lab.close());

  const run = async (http?: object) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tls.db'), ZONE);
    const before = lab.pageRequests().length;
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [{ source: 'bind', path: join(dir, 'tls.db') }], ...(http ? { http } : {}) }, labServices(lab));
    return { result, requests: lab.pageRequests().slice(before).sort() };
  };

  it('reads the HTTPS page first, falls back to HTTP when HTTPS fails, and asks S3 website endpoints over HTTP only', async () => {
    const { result, requests } = await run();
    expect(result.outcome).toBe('partial');
    expect(requests).toEqual([
      'http bucket.example.test',
      'http fallback.example.test',
      'http nowhere.example.test',
      'https fallback.example.test (handshake refused)',
      'https live.example.test',
      'https nowhere.example.test (handshake refused)',
      'https secure.example.test',
    ]);
    expect(result.findings.map((f) => [f.resourceId, f.severity, (f.evidence.http as { scheme: string }).scheme, f.evidence.confidence])).toEqual([
      ['example.test/bucket.example.test/CNAME', 'high', 'http', 'confirmed'],
      ['example.test/fallback.example.test/CNAME', 'medium', 'http', 'potential'],
      ['example.test/nowhere.example.test/CNAME', 'info', 'http', 'inconclusive'],
      ['example.test/secure.example.test/CNAME', 'medium', 'https', 'potential'],
    ]);
    // Only when every scheme failed is the record inconclusive, and the message says why each one failed.
    expect(result.coverage.failed.map((f) => [f.scope, f.error.message])).toEqual([
      ['record:example.test/nowhere.example.test/CNAME', expect.stringMatching(/https: ERROR .*; http: TIMEOUT/)],
    ]);
  });

  it('with schemes [http] follows a redirect to HTTPS on the same name and fingerprints that page', async () => {
    const { result, requests } = await run({ schemes: ['http'] });
    expect(requests.filter((line) => line.includes('secure'))).toEqual(['http secure.example.test', 'https secure.example.test']);
    expect(result.findings.find((f) => f.resourceId === 'example.test/secure.example.test/CNAME')!.evidence.http).toEqual({
      address: '127.0.0.1',
      scheme: 'https',
      status: 404,
      error: null,
      snippet: expect.stringContaining('Not Found - Request ID:'),
    });
    expect(requests.filter((line) => line.includes('fallback'))).toEqual(['http fallback.example.test']);
  });

  it('refuses a scheme list that repeats a scheme or is empty, naming the key', async () => {
    const { dnsOptions } = await import('../../../checks/dns/options.js');
    const repeated = dnsOptions.safeParse({ zones: [{ source: 'bind', path: 'z.db' }], http: { schemes: ['http', 'http'] } });
    expect(repeated.error!.issues[0]).toMatchObject({ path: ['http', 'schemes'], message: 'must not repeat a scheme' });
    expect(dnsOptions.safeParse({ zones: [{ source: 'bind', path: 'z.db' }], http: { schemes: [] } }).error!.issues[0]!.path).toEqual(['http', 'schemes']);
  });
});
