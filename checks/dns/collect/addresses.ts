import { readFile } from 'node:fs/promises';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { loadRangeFile, type CloudRange } from '../cloud-ranges.js';
import shippedAwsRanges from '../data/aws-ip-ranges.json' with { type: 'json' };
import type { DnsOptions } from '../options.js';
import { zoneScope } from '../records.js';
import { readEc2Addresses, type Ec2Clients } from './ec2-addresses.js';
import { collectZones } from './zones.js';

export interface AddressRecord {
  readonly zone: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA';
  readonly values: readonly string[];
}

export interface AddressInventory {
  readonly records: readonly AddressRecord[];
  /** Public addresses the configured accounts hold (Elastic IPs, network interfaces). */
  readonly owned: readonly string[];
  /** `account/region` pairs whose inventory was read; a region that failed is absent and its ranges are not judged. */
  readonly inventoried: readonly { readonly account: string; readonly region: string }[];
  readonly inventoryFailedRegions: readonly string[];
  readonly ranges: readonly CloudRange[];
  readonly rangeSources: readonly string[];
}

/**
 * Plain A/AAAA records (ALIAS records are dns.dangling-cname's), the cloud ranges Vigil ships plus any configured
 * files, and the address inventory of every configured account and region through the EC2 API.
 */
export async function collectAddresses(ctx: CheckContext<DnsOptions>): Promise<Collected<AddressInventory>> {
  const zones = await collectZones(ctx);
  const failed: Coverage['failed'][number][] = [...zones.coverage.failed];
  const ranges: CloudRange[] = loadRangeFile(shippedAwsRanges).ranges;
  const rangeSources = [`vigil:aws-ip-ranges.json@${shippedAwsRanges.createDate}`];
  for (const path of ctx.options.cloudRangeFiles) {
    try {
      const loaded = loadRangeFile(JSON.parse(await readFile(path, 'utf8')));
      ranges.push(...loaded.ranges);
      rangeSources.push(`${path}@${loaded.date ?? 'undated'}`);
    } catch (error) {
      failed.push({ scope: `ranges:${path}`, error: { name: 'CollectorUnreachable', message: `cannot read cloud ranges ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` } });
    }
  }

  const clients = ctx.services.ec2 as Ec2Clients | undefined;
  const owned = new Set<string>();
  const inventoried: { account: string; region: string }[] = [];
  const inventoryFailedRegions = new Set<string>();
  const reads = ctx.options.inventory.flatMap((source) => source.regions.map((region) => ({ account: source.account, region, roleArn: source.roleArn })));
  const results = await Promise.all(
    reads.map(async ({ account, region, roleArn }) => {
      const client = clients ? clients(account, region) : await sharedEc2Client(ctx.services, account, region, roleArn);
      return { account, region, read: await readEc2Addresses(client, account, region, ctx.signal, ctx.services.awsBackoff as never) };
    }),
  );
  const ok = [...zones.coverage.ok];
  for (const { account, region, read } of results) {
    if (read.error) {
      failed.push({ scope: read.scope, error: read.error });
      inventoryFailedRegions.add(region);
      continue;
    }
    ok.push(read.scope);
    inventoried.push({ account, region });
    for (const address of read.addresses) owned.add(address);
  }

  const records: AddressRecord[] = zones.data.zones.flatMap((zone) =>
    zone.records.filter((record) => (record.type === 'A' || record.type === 'AAAA') && !record.alias && record.values.length > 0).map((record) => ({ zone: zone.name, name: record.name, type: record.type as 'A' | 'AAAA', values: record.values })),
  );
  return {
    data: { records, owned: [...owned].sort(), inventoried, inventoryFailedRegions: [...inventoryFailedRegions].sort(), ranges, rangeSources },
    coverage: { ok: ok.filter((scope) => scope.startsWith('aws:') || zones.data.zones.some((zone) => zoneScope(zone.name) === scope)), failed, ...(zones.coverage.skipped ? { skipped: zones.coverage.skipped } : {}) },
  };
}

/**
 * Without a dns-specific seam, EC2 clients come from the AWS client factory the aws/killswitch checks share
 * (`ctx.services.awsClients`, assume-role with cached sessions); loaded lazily so dns checks do not pay for it.
 */
async function sharedEc2Client(services: Readonly<Record<string, unknown>>, account: string, region: string, roleArn: string | undefined) {
  const { awsClientsFrom } = await import('../../cloud/aws/collect/clients.js');
  return awsClientsFrom(services)('ec2', region, { id: account, ...(roleArn ? { roleArn } : {}) });
}
