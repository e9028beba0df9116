import { z } from 'zod';

const hostname = z.string().min(1).regex(/^[A-Za-z0-9_*.@-]+\.?$/, 'must be a DNS name');

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN');

const inlineRecord = z.object({ name: z.string().min(1), type: z.string().min(1), value: z.string().min(1) }).strict();

/** Where zones come from. Every source names the scope it covers, so a zone that cannot be read makes the run partial. */
export const zoneSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('records'), zone: hostname, records: z.array(inlineRecord).min(1) }).strict(),
  z.object({ source: z.literal('record-list'), zone: hostname, path: z.string().min(1) }).strict(),
  z.object({ source: z.literal('bind'), path: z.string().min(1), origin: hostname.optional() }).strict(),
  z
    .object({
      source: z.literal('route53'),
      /** A label for the account (its id or alias); the Route 53 client comes from `ctx.services`. */
      account: z.string().min(1).default('default'),
      /** Only these hosted zones (ids like Z123 or names); all public zones when absent. */
      zones: z.array(z.string().min(1)).optional(),
      includePrivate: z.boolean().default(false),
      /** Role to assume for this account's zones (cross-account); absent means the base credentials are its own. */
      roleArn: roleArn.optional(),
    })
    .strict(),
]);
export type ZoneSource = z.infer<typeof zoneSource>;

export const resolverOptions = z
  .object({
    /** Recursive resolvers (`ip` or `ip:port`); empty means the system's resolvers. */
    servers: z.array(z.string().min(1)).default([]),
    timeoutMs: z.number().int().min(50).max(30_000).default(1000),
    tries: z.number().int().min(1).max(5).default(2),
    /** In-flight queries per resolver server. */
    concurrency: z.number().int().min(1).max(1024).default(64),
    /** Queries per second per resolver server; 0 means no rate limit. */
    ratePerSecond: z.number().min(0).default(0),
  })
  .strict();

export const httpOptions = z
  .object({
    connectTimeoutMs: z.number().int().min(50).max(30_000).default(2000),
    totalTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
    maxBodyBytes: z.number().int().min(256).max(1_048_576).default(65_536),
    concurrency: z.number().int().min(1).max(256).default(32),
    /** Schemes tried in order until one answers; a provider row may narrow them (S3 website endpoints are HTTP only). */
    schemes: z
      .array(z.enum(['https', 'http']))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a scheme')
      .default(['https', 'http']),
  })
  .strict();

export const nameserverOptions = z
  .object({
    timeoutMs: z.number().int().min(50).max(30_000).default(1500),
    tries: z.number().int().min(1).max(5).default(2),
    concurrency: z.number().int().min(1).max(256).default(32),
  })
  .strict();

/** dns.dangling-cname and the delegation checks: is the lapsed domain behind a name that does not exist registrable? */
export const registrationOptions = z
  .object({
    enabled: z.boolean().default(true),
    /** IANA's RDAP bootstrap file (RFC 9224), fetched once a day; only asked about TLDs `servers` does not name. */
    bootstrapUrl: z.string().url().default('https://data.iana.org/rdap/dns.json'),
    /** RDAP base URL per TLD, e.g. `{ com: "https://rdap.verisign.com/com/v1/" }`; wins over the bootstrap file. */
    servers: z.record(z.string().regex(/^[a-z0-9-]+$/, 'a TLD without dots'), z.string().url()).default({}),
    timeoutMs: z.number().int().min(100).max(30_000).default(5000),
    /** Registry questions in flight (RDAP servers rate-limit hard). */
    concurrency: z.number().int().min(1).max(16).default(2),
  })
  .strict();

export const ec2InventorySource = z
  .object({
    account: z.string().min(1),
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like eu-west-1')).min(1),
    /** Role to assume in that account (cross-account inventory); absent means the base credentials are its own. */
    roleArn: roleArn.optional(),
  })
  .strict();

export const dnsOptions = z
  .object({
    zones: z.array(zoneSource).min(1),
    resolver: resolverOptions.default(resolverOptions.parse({})),
    http: httpOptions.default(httpOptions.parse({})),
    nameservers: nameserverOptions.default(nameserverOptions.parse({})),
    registration: registrationOptions.default(registrationOptions.parse({})),
    /** Accounts and regions whose Elastic IPs and network interfaces are "ours" (dns.dangling-address). */
    inventory: z.array(ec2InventorySource).default([]),
    /** Addresses or CIDRs we own outside the EC2 inventory (BYOIP, other providers) that must never be flagged. */
    ownedAddresses: z.array(z.string().min(1)).default([]),
    /** Extra cloud range files in the AWS ip-ranges.json format, beside the snapshot Vigil ships. */
    cloudRangeFiles: z.array(z.string().min(1)).default([]),
    /** Incremental mode: re-probe only records that changed, and everything once this much time has passed. */
    incremental: z
      .object({ enabled: z.boolean().default(true), fullPassEveryHours: z.number().min(0).default(24) })
      .strict()
      .default({ enabled: true, fullPassEveryHours: 24 }),
  })
  .strict();
export type DnsOptions = z.output<typeof dnsOptions>;
