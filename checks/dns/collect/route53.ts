import { ListHostedZonesCommand, ListResourceRecordSetsCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { z } from 'zod';
import { normalizeName, RECORD_TYPES, type DnsRecord, type RecordType, type Zone } from '../records.js';
import type { ZoneSource } from '../options.js';
import { collectorErrorOf, withBackoff, type BackoffOptions } from './aws-backoff.js';

type Route53Source = Extract<ZoneSource, { source: 'route53' }>;

// The SDK's shapes are all-optional; check what we rely on at the edge.
const hostedZone = z.object({ Id: z.string(), Name: z.string(), Config: z.object({ PrivateZone: z.boolean().optional() }).optional() });
const listZonesPage = z.object({ HostedZones: z.array(hostedZone).default([]), IsTruncated: z.boolean().optional(), NextMarker: z.string().optional() });
const recordSet = z.object({
  Name: z.string(),
  Type: z.string(),
  SetIdentifier: z.string().optional(),
  TTL: z.number().optional(),
  ResourceRecords: z.array(z.object({ Value: z.string() })).optional(),
  AliasTarget: z.object({ DNSName: z.string(), HostedZoneId: z.string().optional(), EvaluateTargetHealth: z.boolean().optional() }).optional(),
});
const listRecordsPage = z.object({
  ResourceRecordSets: z.array(recordSet).default([]),
  IsTruncated: z.boolean().optional(),
  NextRecordName: z.string().optional(),
  NextRecordType: z.string().optional(),
  NextRecordIdentifier: z.string().optional(),
});

export interface Route53Read {
  zones: Zone[];
  failed: { scope: string; error: { name: string; message: string } }[];
  skippedPrivate: number;
  skippedTypes: number;
}

/**
 * Reads the account's public hosted zones (private ones only when asked), page by page, backing off on throttling.
 * A zone that fails is reported by itself; the others are still read.
 */
export async function readRoute53Zones(client: Route53Client, source: Route53Source, signal: AbortSignal, backoff?: BackoffOptions): Promise<Route53Read> {
  const read: Route53Read = { zones: [], failed: [], skippedPrivate: 0, skippedTypes: 0 };
  let listed: z.infer<typeof hostedZone>[] = [];
  try {
    let marker: string | undefined;
    do {
      const page = listZonesPage.parse(await withBackoff(() => client.send(new ListHostedZonesCommand({ ...(marker ? { Marker: marker } : {}) }), { abortSignal: signal }), signal, backoff));
      listed.push(...page.HostedZones);
      marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
  } catch (error) {
    if (signal.aborted) throw error;
    read.failed.push({ scope: `route53:${source.account}`, error: collectorErrorOf(error) });
    return read;
  }
  if (source.zones) {
    const wanted = new Set(source.zones.map((zone) => normalizeName(zone).replace(/^\/?hostedzone\//, '')));
    listed = listed.filter((zone) => wanted.has(shortId(zone.Id).toLowerCase()) || wanted.has(normalizeName(zone.Name)));
  }
  for (const zone of listed) {
    if (zone.Config?.PrivateZone && !source.includePrivate) {
      read.skippedPrivate += 1;
      continue;
    }
    const name = unescapeName(zone.Name);
    try {
      const { records, skippedTypes } = await readRecords(client, zone.Id, signal, backoff);
      read.zones.push({ name, source: `route53:${source.account}/${shortId(zone.Id)}`, records });
      read.skippedTypes += skippedTypes;
    } catch (error) {
      if (signal.aborted) throw error;
      read.failed.push({ scope: `zone:${name}`, error: collectorErrorOf(error) });
    }
  }
  return read;
}

async function readRecords(client: Route53Client, zoneId: string, signal: AbortSignal, backoff?: BackoffOptions): Promise<{ records: DnsRecord[]; skippedTypes: number }> {
  const sets = new Map<string, { name: string; type: RecordType; ttl?: number; values: string[]; alias?: DnsRecord['alias']; setIdentifier?: string }>();
  let skippedTypes = 0;
  let start: { StartRecordName: string; StartRecordType?: string; StartRecordIdentifier?: string } | undefined;
  do {
    const input = { HostedZoneId: zoneId, ...(start ?? {}) };
    const page = listRecordsPage.parse(await withBackoff(() => client.send(new ListResourceRecordSetsCommand(input as never), { abortSignal: signal }), signal, backoff));
    for (const set of page.ResourceRecordSets) {
      if (!(RECORD_TYPES as readonly string[]).includes(set.Type)) {
        skippedTypes += 1;
        continue;
      }
      const name = unescapeName(set.Name);
      const type = set.Type as RecordType;
      // Weighted, latency and failover routing give several sets per name and type, each its own resource.
      const key = `${name}\0${type}\0${set.SetIdentifier ?? ''}`;
      const entry = sets.get(key) ?? { name, type, ...(set.TTL !== undefined ? { ttl: set.TTL } : {}), values: [], ...(set.SetIdentifier ? { setIdentifier: set.SetIdentifier } : {}) };
      for (const value of set.ResourceRecords ?? []) {
        const normalized = normalizeValue(type, value.Value);
        if (!entry.values.includes(normalized)) entry.values.push(normalized);
      }
      if (set.AliasTarget) entry.alias = { dnsName: normalizeName(set.AliasTarget.DNSName), ...(set.AliasTarget.HostedZoneId ? { hostedZoneId: set.AliasTarget.HostedZoneId } : {}) };
      sets.set(key, entry);
    }
    start = page.IsTruncated && page.NextRecordName
      ? { StartRecordName: page.NextRecordName, ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}), ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}) }
      : undefined;
  } while (start);
  return { records: [...sets.values()], skippedTypes };
}

function normalizeValue(type: RecordType, value: string): string {
  if (type === 'CNAME' || type === 'NS' || type === 'PTR') return normalizeName(value);
  if (type === 'TXT') return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]).join('') || value;
  if (type === 'AAAA') return value.toLowerCase();
  return value;
}

/** Route 53 returns names with octal escapes (`\052` for `*`). */
function unescapeName(name: string): string {
  return normalizeName(name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

function shortId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}
