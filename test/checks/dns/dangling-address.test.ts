import { DescribeAddressesCommand, DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/dns/dangling-address.js';
import type { AddressInventory, AddressRecord } from '../../../checks/dns/collect/addresses.js';
import { loadRangeFile } from '../../../checks/dns/cloud-ranges.js';
import shipped from '../../../checks/dns/data/aws-ip-ranges.json' with { type: 'json' };
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { checkTester } from '../../support/check-tester.js';
import { runDnsCheck } from './lab/run-dns-check.js';

const ranges = loadRangeFile(shipped).ranges;
const record = (name: string, value: string, type: 'A' | 'AAAA' = 'A'): AddressRecord => ({ zone: 'example.test', name, type, values: [value] });
const inventory = (records: AddressRecord[], owned: string[] = [], extra: Partial<AddressInventory> = {}): { addresses: AddressInventory } => ({
  addresses: { records, owned, inventoried: [{ account: '111122223333', region: 'us-east-1' }, { account: '111122223333', region: 'eu-west-1' }], inventoryFailedRegions: [], ranges, rangeSources: ['test'], ...extra },
});
const options = { zones: [{ source: 'bind', path: '/zones/example.test.db' }], inventory: [{ account: '111122223333', regions: ['us-east-1', 'eu-west-1'] }] };

checkTester(check as unknown as AnyCheck, {
  pass: [
    {
      name: 'our Elastic IP, a CloudFront edge, an S3 address and an address outside every cloud range',
      options,
      inventory: inventory([record('app.example.test', '3.80.1.10'), record('cdn.example.test', '13.32.0.5'), record('s3.example.test', '52.216.8.1'), record('office.example.test', '192.0.2.10')], ['3.80.1.10']),
    },
    {
      name: 'an address listed as owned outside the inventory (BYOIP range)',
      options: { ...options, ownedAddresses: ['54.72.0.0/24'] },
      inventory: inventory([record('byoip.example.test', '54.72.0.7')]),
    },
    {
      name: 'an address in a region whose inventory failed is not judged',
      options,
      inventory: inventory([record('eu.example.test', '52.16.3.3')], [], { inventoried: [{ account: '111122223333', region: 'us-east-1' }], inventoryFailedRegions: ['eu-west-1'] }),
    },
  ],
  fail: [
    {
      name: 'released EC2 addresses: medium where we inventory the region, low where we do not, one finding per address',
      options,
      inventory: inventory([
        { zone: 'example.test', name: 'api.example.test', type: 'A', values: ['3.80.1.10', '18.208.4.4'] },
        record('stockholm.example.test', '13.48.9.9'),
        record('v6.example.test', '2600:1f18:1234::9', 'AAAA'),
      ], ['3.80.1.10']),
      findings: [
        { resourceId: 'example.test/api.example.test/A', key: '18.208.4.4', severity: 'medium', title: 'api.example.test A 18.208.4.4 is in aws AMAZON/EC2 us-east-1' },
        { resourceId: 'example.test/stockholm.example.test/A', key: '13.48.9.9', severity: 'low' },
        { resourceId: 'example.test/v6.example.test/AAAA', key: '2600:1f18:1234::9', severity: 'medium' },
      ],
    },
  ],
  partial: [
    {
      name: 'an inventory region that could not be read',
      options,
      collected: {
        addresses: {
          data: inventory([record('eu.example.test', '52.16.3.3')], [], { inventoryFailedRegions: ['eu-west-1'] }).addresses,
          coverage: { ok: ['zone:example.test', 'aws:111122223333/us-east-1'], failed: [{ scope: 'aws:111122223333/eu-west-1', error: { name: 'CollectorAccessDenied', message: 'UnauthorizedOperation' } }] },
        },
      },
      failedScopes: ['aws:111122223333/eu-west-1'],
    },
  ],
});

describe('dns.dangling-address with the EC2 inventory read through the SDK (aws-sdk-client-mock)', () => {
  const mocks: ReturnType<typeof mockClient>[] = [];
  afterEach(() => mocks.splice(0).forEach((mock) => mock.restore()));
  const client = (region: string) => {
    const ec2 = new EC2Client({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = mockClient(ec2);
    mocks.push(mock);
    return { ec2, mock };
  };
  const zone = {
    source: 'records',
    zone: 'example.test',
    records: [
      { name: 'eip', type: 'A', value: '3.80.1.10' },
      { name: 'eni', type: 'A', value: '18.208.4.4' },
      { name: 'eni6', type: 'AAAA', value: '2600:1f18:1234::9' },
      { name: 'gone', type: 'A', value: '34.192.7.7' },
      { name: 'eu', type: 'A', value: '52.16.3.3' },
    ],
  };

  it('pages through network interfaces, retries throttling, and flags only what no account holds', async () => {
    const east = client('us-east-1');
    east.mock.on(DescribeAddressesCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' })).resolves({ Addresses: [{ PublicIp: '3.80.1.10', AllocationId: 'eipalloc-1' }] });
    east.mock
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Association: { PublicIp: '18.208.4.4' } }], NextToken: 'page-2' })
      .resolvesOnce({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-2', Ipv6Addresses: [{ Ipv6Address: '2600:1F18:1234::9' }] }] });
    const west = client('eu-west-1');
    west.mock.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    west.mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ PrivateIpAddresses: [{ Association: { PublicIp: '52.16.3.3' } }] }] });
    const clients: Record<string, EC2Client> = { 'us-east-1': east.ec2, 'eu-west-1': west.ec2 };
    const result = await runDnsCheck(
      check as unknown as AnyCheck,
      { zones: [zone], inventory: [{ account: '111122223333', regions: ['us-east-1', 'eu-west-1'] }] },
      { ec2: (_account: string, region: string) => clients[region], awsBackoff: { attempts: 3, baseMs: 1, maxMs: 2 } },
    );
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toEqual(['aws:111122223333/eu-west-1', 'aws:111122223333/us-east-1', 'zone:example.test']);
    expect(result.findings.map((f) => [f.resourceId, f.key, f.severity])).toEqual([['example.test/gone.example.test/A', '34.192.7.7', 'medium']]);
    expect(east.mock.commandCalls(DescribeAddressesCommand)).toHaveLength(2);
    expect(east.mock.commandCalls(DescribeNetworkInterfacesCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
  });

  it('leaves a region whose inventory is denied unjudged and makes the run partial', async () => {
    const east = client('us-east-1');
    east.mock.on(DescribeAddressesCommand).resolves({ Addresses: [{ PublicIp: '3.80.1.10' }] });
    east.mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    const west = client('eu-west-1');
    west.mock.on(DescribeAddressesCommand).rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
    const clients: Record<string, EC2Client> = { 'us-east-1': east.ec2, 'eu-west-1': west.ec2 };
    const result = await runDnsCheck(
      check as unknown as AnyCheck,
      { zones: [zone], inventory: [{ account: '111122223333', regions: ['us-east-1', 'eu-west-1'] }] },
      { ec2: (_account: string, region: string) => clients[region], awsBackoff: { attempts: 2, baseMs: 1, maxMs: 2 } },
    );
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed).toEqual([{ scope: 'aws:111122223333/eu-west-1', error: { name: 'CollectorAccessDenied', message: 'UnauthorizedOperation: You are not authorized' } }]);
    // eni and eni6 are no longer held (the east inventory is empty of them); eu is in the unread region and not judged.
    expect(result.findings.map((f) => f.key).sort()).toEqual(['18.208.4.4', '2600:1f18:1234::9', '34.192.7.7']);
  });

  it('reads extra range files in the ip-ranges.json format and fails their scope when unreadable', async () => {
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [zone], cloudRangeFiles: ['/nonexistent/ranges.json'] }, {});
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => f.scope)).toEqual(['ranges:/nonexistent/ranges.json']);
    // With no inventory configured every EC2-range address is a low, potential finding.
    expect(result.findings.every((f) => f.severity === 'low' && f.evidence.confidence === 'potential')).toBe(true);
    expect(result.findings).toHaveLength(5);
  });
});

describe('dns.dangling-address without a dns-specific EC2 seam', () => {
  it('asks the shared AWS client factory for each account and region, with the role to assume', async () => {
    const calls: unknown[] = [];
    const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = mockClient(ec2);
    try {
      mock.on(DescribeAddressesCommand).resolves({ Addresses: [{ PublicIp: '3.80.1.10' }] });
      mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      const roleArn = 'arn:aws:iam::444455556666:role/vigil-audit';
      const result = await runDnsCheck(
        check as unknown as AnyCheck,
        { zones: [{ source: 'records', zone: 'example.test', records: [{ name: 'eip', type: 'A', value: '3.80.1.10' }, { name: 'gone', type: 'A', value: '3.80.9.9' }] }], inventory: [{ account: '444455556666', regions: ['us-east-1'], roleArn }] },
        { awsClients: (...args: unknown[]) => (calls.push(args), ec2) },
      );
      expect(calls).toEqual([['ec2', 'us-east-1', { id: '444455556666', roleArn }]]);
      expect(result.findings.map((f) => f.key)).toEqual(['3.80.9.9']);
    } finally {
      mock.restore();
    }
  });

  it('rejects a role ARN that is not one', () => {
    expect(() => check.options.parse({ zones: [{ source: 'records', zone: 'a.test', records: [{ name: 'x', type: 'A', value: '192.0.2.1' }] }], inventory: [{ account: '1', regions: ['us-east-1'], roleArn: 'vigil' }] })).toThrow('an IAM role ARN');
  });
});

describe('cloud range files beside the shipped AWS sample', () => {
  const tempDir = useTempDir('vigil-dns-ranges-');
  it('reads Google cloud.json and AWS-format files of other providers, and names a file that is neither', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cloud.json'), JSON.stringify({ syncToken: '1', creationTime: '2026-11-01T00:00:00', prefixes: [{ ipv4Prefix: '198.51.100.0/24', service: 'Google Cloud', scope: 'us-central1' }, { ipv6Prefix: '2001:db8:100::/48', service: 'Google Cloud', scope: 'europe-west1' }] }));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ createDate: '2026-11-02-00-00-00', provider: 'example-cloud', claimableServices: ['COMPUTE'], prefixes: [{ ip_prefix: '203.0.113.0/25', region: 'r1', service: 'COMPUTE' }, { ip_prefix: '203.0.113.128/25', region: 'r1', service: 'CDN' }] }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ranges: [] }));
    const zone = { source: 'records', zone: 'example.test', records: [
      { name: 'gcp', type: 'A', value: '198.51.100.7' },
      { name: 'gcp6', type: 'AAAA', value: '2001:db8:100::7' },
      { name: 'vm', type: 'A', value: '203.0.113.9' },
      { name: 'cdn', type: 'A', value: '203.0.113.200' },
    ] };
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [zone], cloudRangeFiles: [join(dir, 'cloud.json'), join(dir, 'other.json'), join(dir, 'bad.json')] }, {});
    expect(result.coverage.failed).toEqual([{ scope: `ranges:${join(dir, 'bad.json')}`, error: { name: 'CollectorUnreachable', message: `cannot read cloud ranges ${join(dir, 'bad.json')}: not an AWS ip-ranges.json or Google Cloud cloud.json file` } }]);
    expect(result.findings.map((f) => [f.key, f.evidence.provider, f.evidence.region])).toEqual([
      ['198.51.100.7', 'gcp', 'us-central1'],
      ['2001:db8:100::7', 'gcp', 'europe-west1'],
      ['203.0.113.9', 'example-cloud', 'r1'],
    ]);
    expect(result.findings[0]!.evidence.rangeSources).toEqual(['vigil:aws-ip-ranges.json@2026-11-23-00-00-00', `${join(dir, 'cloud.json')}@2026-11-01T00:00:00`, `${join(dir, 'other.json')}@2026-11-02-00-00-00`]);
  });
});
