import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** The AWS ip-ranges.json shape; `provider` defaults to aws, `claimableServices` to CLAIMABLE_SERVICES[provider]. */
export const awsIpRangesFile = z.object({
  syncToken: z.string().optional(),
  createDate: z.string().optional(),
  provider: z.string().optional(),
  claimableServices: z.array(z.string()).optional(),
  prefixes: z.array(z.object({ ip_prefix: z.string(), region: z.string(), service: z.string() })),
  ipv6_prefixes: z.array(z.object({ ipv6_prefix: z.string(), region: z.string(), service: z.string() })).default([]),
});

/** Google Cloud's published cloud.json (every prefix is customer-allocatable "Google Cloud" space). */
export const gcpCloudFile = z.object({
  syncToken: z.string().optional(),
  creationTime: z.string().optional(),
  prefixes: z.array(z.union([z.object({ ipv4Prefix: z.string(), service: z.string(), scope: z.string() }), z.object({ ipv6Prefix: z.string(), service: z.string(), scope: z.string() })])),
});

export interface CloudRange {
  readonly prefix: string;
  readonly provider: string;
  readonly service: string;
  readonly region: string;
  /** Customers allocate and release addresses here, so a released one can be picked up by someone else. */
  readonly claimable: boolean;
}

/**
 * Services whose addresses a customer can hold and release (Elastic IPs, instance public IPs): an address released
 * from these ranges can be allocated by someone else. Shared front ends (CloudFront, S3, Route 53) cannot.
 */
export const CLAIMABLE_SERVICES: Readonly<Record<string, readonly string[]>> = { aws: ['EC2'], gcp: ['Google Cloud'] };

/** Reads an AWS ip-ranges.json or a Google cloud.json into ranges, with the date the file says it was made. */
export function loadRangeFile(raw: unknown): { ranges: CloudRange[]; date?: string } {
  const aws = awsIpRangesFile.safeParse(raw);
  if (aws.success) {
    const provider = aws.data.provider ?? 'aws';
    const claimable = new Set(aws.data.claimableServices ?? CLAIMABLE_SERVICES[provider] ?? []);
    const ranges = [
      ...aws.data.prefixes.map((entry) => ({ prefix: entry.ip_prefix, provider, service: entry.service, region: entry.region, claimable: claimable.has(entry.service) })),
      ...aws.data.ipv6_prefixes.map((entry) => ({ prefix: entry.ipv6_prefix, provider, service: entry.service, region: entry.region, claimable: claimable.has(entry.service) })),
    ];
    return { ranges, ...(aws.data.createDate ? { date: aws.data.createDate } : {}) };
  }
  const gcp = gcpCloudFile.safeParse(raw);
  if (!gcp.success) throw new Error('not an AWS ip-ranges.json or Google Cloud cloud.json file');
  const claimable = new Set(CLAIMABLE_SERVICES.gcp);
  const ranges = gcp.data.prefixes.map((entry) => ({ prefix: 'ipv4Prefix' in entry ? entry.ipv4Prefix : entry.ipv6Prefix, provider: 'gcp', service: entry.service, region: entry.scope, claimable: claimable.has(entry.service) }));
  return { ranges, ...(gcp.data.creationTime ? { date: gcp.data.creationTime } : {}) };
}

export interface RangeMatch {
  readonly provider: string;
  readonly region: string;
  readonly services: readonly string[];
  readonly prefixes: readonly string[];
  readonly claimable: boolean;
}

/** Matches addresses against the ranges; built once per evaluation (a few hundred prefixes, linear scan is enough). */
export function createRangeMatcher(ranges: readonly CloudRange[]): (address: string) => RangeMatch | undefined {
  const parsed = ranges.map((range) => ({ range, cidr: ipaddr.parseCIDR(range.prefix) }));
  return (address) => {
    if (!ipaddr.isValid(address)) return undefined;
    const ip = ipaddr.process(address);
    const hits = parsed.filter(({ cidr }) => cidr[0].kind() === ip.kind() && ip.match(cidr as [typeof ip, number]));
    if (hits.length === 0) return undefined;
    const provider = hits[0]!.range.provider;
    const services = [...new Set(hits.map((hit) => hit.range.service))].sort();
    // The most specific prefix names the region (the AMAZON superset and a service prefix may differ in length).
    const region = [...hits].sort((a, b) => b.cidr[1] - a.cidr[1])[0]!.range.region;
    return { provider, region, services, prefixes: [...new Set(hits.map((hit) => hit.range.prefix))].sort(), claimable: hits.some((hit) => hit.range.claimable) };
  };
}

/** True when `address` is one of `owned` (addresses or CIDRs). */
export function createOwnedMatcher(owned: readonly string[]): (address: string) => boolean {
  const singles = new Set<string>();
  const cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of owned) {
    if (entry.includes('/')) cidrs.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) singles.add(ipaddr.process(entry).toNormalizedString());
  }
  return (address) => {
    if (!ipaddr.isValid(address)) return false;
    const ip = ipaddr.process(address);
    if (singles.has(ip.toNormalizedString())) return true;
    return cidrs.some((cidr) => cidr[0].kind() === ip.kind() && ip.match(cidr as [typeof ip, number]));
  };
}
