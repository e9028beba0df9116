import { ListHostedZonesCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import danglingCname from '../../../../checks/dns/dangling-cname.js';
import { readRoute53Zones } from '../../../../checks/dns/collect/route53.js';
import { createAwsClientFactory } from '../../../../checks/cloud/aws/collect/clients.js';
import { zoneSource } from '../../../../checks/dns/options.js';
import type { AnyCheck } from '../../../../src/check-api/types.js';
import { pages } from '../lab/provider-pages.js';
import { labServices, runDnsCheck } from '../lab/run-dns-check.js';
import { startFakeRoute53, type FakeHostedZone, type FakeRoute53 } from '../lab/route53-server.js';
import { startTakeoverLab, type TakeoverLab } from '../lab/takeover-lab.js';

const S3_WEBSITE_ZONE_ID = 'Z3AQBSTGFYJSTF';
const ZONES: FakeHostedZone[] = [
  {
    id: 'Z1EXAMPLE',
    name: 'example.test.',
    records: [
      { Name: 'example.test.', Type: 'A', Alias: { DNSName: 's3-website-us-east-1.amazonaws.com.', HostedZoneId: S3_WEBSITE_ZONE_ID } },
      { Name: 'example.test.', Type: 'NS', TTL: 172800, Values: ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.net.'] },
      { Name: 'example.test.', Type: 'SOA', TTL: 900, Values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'] },
      { Name: '\\052.example.test.', Type: 'A', TTL: 60, Values: ['192.0.2.9'] },
      { Name: 'api.example.test.', Type: 'A', TTL: 60, SetIdentifier: 'blue', Values: ['192.0.2.1'] },
      { Name: 'api.example.test.', Type: 'A', TTL: 60, SetIdentifier: 'green', Values: ['192.0.2.2'] },
      { Name: 'assets.example.test.', Type: 'CNAME', TTL: 60, SetIdentifier: 'blue', Values: ['assets-blue.azurewebsites.net'] },
      { Name: 'assets.example.test.', Type: 'CNAME', TTL: 60, SetIdentifier: 'green', Values: ['assets-green.azurewebsites.net'] },
      { Name: 'cdn.example.test.', Type: 'A', Alias: { DNSName: 'd111111abcdef8.cloudfront.net.', HostedZoneId: 'Z2FDTNDATAQYW2' } },
      { Name: 'txt.example.test.', Type: 'TXT', TTL: 300, Values: ['"v=spf1 " "-all"'] },
      { Name: 'www.example.test.', Type: 'CNAME', TTL: 300, Values: ['www.example.test.s3-website-us-east-1.amazonaws.com'] },
      { Name: 'x.example.test.', Type: 'HTTPS', TTL: 300, Values: ['1 . alpn="h2"'] },
    ],
  },
  { id: 'Z2PRIVATE', name: 'internal.test.', private: true, records: [{ Name: 'db.internal.test.', Type: 'A', TTL: 60, Values: ['10.0.0.5'] }] },
  { id: 'Z3DENIED', name: 'denied.test.', records: [], fail: { status: 403, code: 'AccessDenied' } },
  // Only a session assumed into 222233334444 lists this zone.
  { id: 'Z4PARTNER', name: 'partner.test.', account: '222233334444', records: [{ Name: 'app.partner.test.', Type: 'CNAME', TTL: 60, Values: ['partner-gone.azurewebsites.net'] }] },
];

describe('Route 53 zones through the real SDK against a loopback Route 53 API', () => {
  let route53: FakeRoute53;
  let lab: TakeoverLab;
  const client = () => new Route53Client({ region: 'us-east-1', endpoint: route53.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const backoff = { attempts: 6, baseMs: 1, maxMs: 5 };
  beforeAll(async () => {
    route53 = await startFakeRoute53(ZONES, { zonesPerPage: 1, recordsPerPage: 2, throttleEvery: 4 });
    lab = await startTakeoverLab({
      names: { 's3-website-us-east-1.amazonaws.com': { A: ['127.0.0.1'] }, '*.s3-website-us-east-1.amazonaws.com': { A: ['127.0.0.1'] }, 'assets-blue.azurewebsites.net': { A: ['127.0.0.1'] } },
      pages: { 'example.test': pages.s3NoSuchBucket('example.test') },
    });
  });
  afterAll(async () => {
    await route53.close();
    await lab.close();
  });

  it('pages zones and record sets, backs off on throttling, keeps weighted sets apart, keeps ALIAS targets, skips private zones', async () => {
    const read = await readRoute53Zones(client(), zoneSource.parse({ source: 'route53', account: 'prod' }) as never, new AbortController().signal, backoff);
    expect(read.failed).toEqual([{ scope: 'zone:denied.test', error: { name: 'CollectorAccessDenied', message: expect.stringContaining('AccessDenied') } }]);
    expect(read.skippedPrivate).toBe(1);
    expect(read.skippedTypes).toBe(1);
    expect(read.zones.map((zone) => [zone.name, zone.source])).toEqual([['example.test', 'route53:prod/Z1EXAMPLE']]);
    expect(read.zones[0]!.records).toEqual([
      { name: 'example.test', type: 'A', values: [], alias: { dnsName: 's3-website-us-east-1.amazonaws.com', hostedZoneId: S3_WEBSITE_ZONE_ID } },
      { name: 'example.test', type: 'NS', ttl: 172800, values: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'] },
      { name: 'example.test', type: 'SOA', ttl: 900, values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'] },
      { name: '*.example.test', type: 'A', ttl: 60, values: ['192.0.2.9'] },
      { name: 'api.example.test', type: 'A', ttl: 60, values: ['192.0.2.1'], setIdentifier: 'blue' },
      { name: 'api.example.test', type: 'A', ttl: 60, values: ['192.0.2.2'], setIdentifier: 'green' },
      { name: 'assets.example.test', type: 'CNAME', ttl: 60, values: ['assets-blue.azurewebsites.net'], setIdentifier: 'blue' },
      { name: 'assets.example.test', type: 'CNAME', ttl: 60, values: ['assets-green.azurewebsites.net'], setIdentifier: 'green' },
      { name: 'cdn.example.test', type: 'A', values: [], alias: { dnsName: 'd111111abcdef8.cloudfront.net', hostedZoneId: 'Z2FDTNDATAQYW2' } },
      { name: 'txt.example.test', type: 'TXT', ttl: 300, values: ['v=spf1 -all'] },
      { name: 'www.example.test', type: 'CNAME', ttl: 300, values: ['www.example.test.s3-website-us-east-1.amazonaws.com'] },
    ]);
    // Pagination resumed exactly where each page ended, weighted sets included; throttled requests were retried.
    expect(route53.requests.filter((line) => line.startsWith('throttled')).length).toBeGreaterThan(0);
    expect(route53.requests).toContain('ListResourceRecordSets Z1EXAMPLE ?identifier=blue&name=api.example.test.&type=A');
    expect(route53.requests.filter((line) => line.startsWith('ListHostedZones'))).toEqual(['ListHostedZones ', 'ListHostedZones ?marker=Z2PRIVATE', 'ListHostedZones ?marker=Z3DENIED']);
  });

  it('reads private zones only when asked, and only the zones named', async () => {
    const read = await readRoute53Zones(client(), zoneSource.parse({ source: 'route53', zones: ['Z2PRIVATE'], includePrivate: true }) as never, new AbortController().signal, backoff);
    expect(read.failed).toEqual([]);
    expect(read.zones.map((zone) => zone.name)).toEqual(['internal.test']);
  });

  it('judges an ALIAS to an S3 website endpoint as a dangling record although no CNAME shows on the wire, and each weighted set alone', async () => {
    const result = await runDnsCheck(danglingCname as unknown as AnyCheck, { zones: [{ source: 'route53', account: 'prod', zones: ['example.test'] }] }, labServices(lab, { route53: client(), route53Backoff: backoff }));
    expect(result.outcome).toBe('ok');
    expect(result.findings.map((f) => [f.resourceId, f.key ?? '', f.severity, f.evidence.via, f.evidence.confidence])).toEqual([
      ['example.test/assets.example.test/CNAME', 'green', 'high', 'cname', 'confirmed'],
      ['example.test/example.test/A', '', 'high', 'alias', 'confirmed'],
    ]);
    expect(result.findings[1]!.title).toBe('Dangling ALIAS example.test → s3-website-us-east-1.amazonaws.com (aws s3)');
  });

  it('reads another account\'s zones by assuming roleArn through the shared AWS client factory (real SDK, STS included)', async () => {
    // Its own fake without throttling: the factory's adaptive retry mode would slow every later call down.
    const partnerFake = await startFakeRoute53(ZONES, { zonesPerPage: 2, recordsPerPage: 5 });
    onTestFinished(() => partnerFake.close());
    const awsClients = createAwsClientFactory({ endpoint: partnerFake.endpoint, credentials: { accessKeyId: 'AKIABASEVIGIL', secretAccessKey: 'base-secret' }, maxAttempts: 1 });
    const result = await runDnsCheck(
      danglingCname as unknown as AnyCheck,
      { zones: [{ source: 'route53', account: 'prod', zones: ['example.test'] }, { source: 'route53', account: 'partner', roleArn: 'arn:aws:iam::222233334444:role/vigil-dns' }] },
      labServices(lab, { awsClients, route53Backoff: backoff }),
    );
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toEqual(['zone:example.test', 'zone:partner.test']);
    expect(result.findings.map((f) => [f.resourceId, f.severity])).toContainEqual(['partner.test/app.partner.test/CNAME', 'high']);
    const signed = partnerFake.signers;
    // One AssumeRole (signed with the base keys), then every partner call signed with the session it returned.
    expect(signed.filter((line) => line.startsWith('AssumeRole'))).toEqual(['AssumeRole AKIABASEVIGIL']);
    expect(new Set(signed.filter((line) => !line.startsWith('AssumeRole')))).toEqual(new Set(['ListHostedZones AKIABASEVIGIL', 'ListResourceRecordSets AKIABASEVIGIL', 'ListHostedZones ASIAFAKE222233334444', 'ListResourceRecordSets ASIAFAKE222233334444']));
  });

  it('rejects a roleArn that is not an IAM role ARN, naming the key', () => {
    const parsed = zoneSource.safeParse({ source: 'route53', roleArn: 'arn:aws:iam::12:user/x' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['roleArn'], message: 'an IAM role ARN' });
  });

  it('makes the run partial for a zone whose records are denied', async () => {
    const result = await runDnsCheck(danglingCname as unknown as AnyCheck, { zones: [{ source: 'route53', account: 'prod' }] }, labServices(lab, { route53: () => client(), route53Backoff: backoff }));
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => f.scope)).toEqual(['zone:denied.test']);
    expect(result.coverage.skipped).toEqual([
      { scope: 'route53:prod', reason: 'private hosted zones (includePrivate is off)', count: 1 },
      { scope: 'route53:prod', reason: 'record types no dns check reads', count: 1 },
    ]);
  });
});

describe('Route 53 listing at the SDK layer (aws-sdk-client-mock): pagination, ALIAS records, throttling errors', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  const backoff = { attempts: 4, baseMs: 1, maxMs: 2 };

  it('follows NextMarker and NextRecordName/Type/Identifier, retries throttled pages, and keeps ALIAS targets', async () => {
    const client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = mockClient(client);
    mock
      .on(ListHostedZonesCommand, {})
      .resolves({ HostedZones: [{ Id: '/hostedzone/ZA', Name: 'a.test.', CallerReference: 'a', Config: { PrivateZone: false } }], IsTruncated: true, NextMarker: 'ZB', MaxItems: 1 })
      .on(ListHostedZonesCommand, { Marker: 'ZB' })
      .resolves({ HostedZones: [{ Id: '/hostedzone/ZB', Name: 'b.test.', CallerReference: 'b', Config: { PrivateZone: true } }], IsTruncated: false, MaxItems: 1 });
    mock
      .on(ListResourceRecordSetsCommand, { HostedZoneId: '/hostedzone/ZA' })
      .rejectsOnce(throttled())
      .resolves({
        ResourceRecordSets: [{ Name: 'a.test.', Type: 'A', AliasTarget: { DNSName: 's3-website.eu-west-1.amazonaws.com.', HostedZoneId: 'Z1BKCTXD74EZPE', EvaluateTargetHealth: false } }],
        IsTruncated: true,
        NextRecordName: 'w.a.test.',
        NextRecordType: 'CNAME',
        NextRecordIdentifier: 'eu',
        MaxItems: 1,
      })
      .on(ListResourceRecordSetsCommand, { HostedZoneId: '/hostedzone/ZA', StartRecordName: 'w.a.test.', StartRecordType: 'CNAME', StartRecordIdentifier: 'eu' })
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ ResourceRecordSets: [{ Name: 'w.a.test.', Type: 'CNAME', SetIdentifier: 'eu', TTL: 60, ResourceRecords: [{ Value: 'w.a.test.s3-website-eu-west-1.amazonaws.com' }] }], IsTruncated: false, MaxItems: 1 });

    const read = await readRoute53Zones(client, zoneSource.parse({ source: 'route53', account: 'mocked' }) as never, new AbortController().signal, backoff);
    expect(read.failed).toEqual([]);
    expect(read.skippedPrivate).toBe(1);
    expect(read.zones).toEqual([
      {
        name: 'a.test',
        source: 'route53:mocked/ZA',
        records: [
          { name: 'a.test', type: 'A', values: [], alias: { dnsName: 's3-website.eu-west-1.amazonaws.com', hostedZoneId: 'Z1BKCTXD74EZPE' } },
          { name: 'w.a.test', type: 'CNAME', ttl: 60, values: ['w.a.test.s3-website-eu-west-1.amazonaws.com'], setIdentifier: 'eu' },
        ],
      },
    ]);
    // 2 zone pages; record pages: 1 throttled + 1, then 2 throttled + 1.
    expect(mock.commandCalls(ListHostedZonesCommand).map((call) => call.args[0].input)).toEqual([{}, { Marker: 'ZB' }]);
    expect(mock.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(5);
  });

  it('fails only the zone that stays throttled past the retry budget, with a message that says so', async () => {
    const client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = mockClient(client);
    mock.on(ListHostedZonesCommand).resolves({ HostedZones: [{ Id: '/hostedzone/ZHOT', Name: 'hot.test.', CallerReference: 'h' }, { Id: '/hostedzone/ZOK', Name: 'ok.test.', CallerReference: 'o' }], IsTruncated: false, MaxItems: 2 });
    mock.on(ListResourceRecordSetsCommand, { HostedZoneId: '/hostedzone/ZHOT' }).rejects(throttled());
    mock.on(ListResourceRecordSetsCommand, { HostedZoneId: '/hostedzone/ZOK' }).resolves({ ResourceRecordSets: [{ Name: 'www.ok.test.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'ok.example.net' }] }], IsTruncated: false, MaxItems: 100 });
    const read = await readRoute53Zones(client, zoneSource.parse({ source: 'route53' }) as never, new AbortController().signal, backoff);
    expect(read.zones.map((zone) => zone.name)).toEqual(['ok.test']);
    expect(read.failed).toEqual([{ scope: 'zone:hot.test', error: { name: 'CollectorUnreachable', message: 'still throttled after retries: Rate exceeded' } }]);
    expect(mock.commandCalls(ListResourceRecordSetsCommand, { HostedZoneId: '/hostedzone/ZHOT' })).toHaveLength(backoff.attempts);
  });
});
