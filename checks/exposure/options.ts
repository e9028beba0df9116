import { z } from 'zod';
import { parseHostSpec } from '../ports/host-spec.js';
import { portListSchema } from '../ports/options.js';
import { expandPorts } from '../ports/port-sets.js';

/** `host:port`, `[v6]:port`; the host may be an address or a DNS name. */
export interface EndpointSpec {
  readonly host: string;
  readonly port: number;
  /** TLS server name to send and to verify the certificate against (defaults to host when it is a name). */
  readonly servername?: string;
}

export function parseEndpoint(value: string): EndpointSpec | string {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value.trim()) ?? /^([^:\s]+):(\d+)$/.exec(value.trim());
  if (!match) return `'${value}' is not host:port (e.g. db.internal:5432 or [::1]:6379)`;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return `'${value}': port ${port} is out of range (1-65535)`;
  const host = parseHostSpec(match[1]!);
  if (typeof host === 'string') return host;
  if (host.kind === 'cidr') return `'${value}': an endpoint names one host, not a CIDR block`;
  return { host: host.kind === 'address' ? host.address : host.hostname, port };
}

const endpointSchema = z.string().transform((value, ctx) => {
  const parsed = parseEndpoint(value);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const tlsEndpointSchema = z.union([
  endpointSchema,
  z.strictObject({ endpoint: endpointSchema, servername: z.string().min(1).optional() }).transform(({ endpoint, servername }) => ({
    ...endpoint,
    ...(servername ? { servername } : {}),
  })),
]);

/** Kept as the user wrote them (validated here) because the ports collector parses its own options. */
const hostListSchema = z.array(
  z.string().superRefine((value, ctx) => {
    const parsed = parseHostSpec(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  }),
);

/** Per probe family: its own time cap (inside the endpoint's budget) and how many may run at once across endpoints. */
const probeLimitSchema = z.strictObject({
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  concurrency: z.number().int().min(1).max(1024).optional(),
});
export const PROBE_FAMILIES = ['ssh', 'tls', 'http'] as const;
export type ProbeFamily = (typeof PROBE_FAMILIES)[number];

/**
 * nmap's top-1000 leaves out the default ports of several data stores and control planes this area exists for
 * (Redis 6379, Memcached 11211, MongoDB 27017, Elasticsearch transport 9300, Docker 2375/2376, etcd 2379, Kubernetes
 * 6443/10250, Kibana 5601, CouchDB 5984, InfluxDB 8086, Cassandra 9042, Neo4j 7474, RabbitMQ management 15672), so
 * the default sweep adds them.
 */
export const DEFAULT_PORTS: readonly number[] = expandPorts(['top-1000', '2375-2376,2379,5601,5984,6379,6443,7474,8086,9042,9200,9300,10250,11211,15672,27017-27019']);

/**
 * What every exposure check looks at and how hard it may knock. Shared by all `exposure.*` checks so one config block
 * (YAML anchors) serves them all, and so the triage they share is keyed by exactly these values.
 */
export const exposureTargetShape = {
  /** Hosts, names and CIDR blocks to sweep; every open port found is triaged. */
  hosts: hostListSchema.default([]),
  ports: portListSchema.default([...DEFAULT_PORTS]),
  /** Endpoints to triage without a sweep (`host:port`). */
  endpoints: z.array(endpointSchema).default([]),
  /** Endpoints that are TLS whatever the sweep says (certificates behind a load balancer, a name on a shared IP). */
  tlsEndpoints: z.array(tlsEndpointSchema).default([]),
  /** Swept ports to leave alone (a port known to hold connections silently would otherwise keep its host partial). */
  ignorePorts: portListSchema.default([]),
  sweepConcurrency: z.number().int().min(1).max(20_000).default(500),
  sweepTimeoutMs: z.number().int().min(10).max(60_000).optional(),
  /** Per TCP/TLS connect of every probe. */
  connectTimeoutMs: z.number().int().min(50).max(30_000).default(1000),
  /** How long a server-first protocol (SSH, MySQL...) may take to greet before the client-first probes go out. */
  greetingTimeoutMs: z.number().int().min(10).max(10_000).default(250),
  /** Budget to say what listens (greeting plus a few protocol probes in parallel). */
  identifyTimeoutMs: z.number().int().min(100).max(30_000).default(1200),
  /** Total budget per endpoint, identification included: a probe still waiting then makes the endpoint partial. */
  probeTimeoutMs: z.number().int().min(200).max(60_000).default(2000),
  /**
   * Limits for the follow-up probes that cost the most (SSH key exchange, TLS handshakes, HTTP path fetches); data
   * stores are answered during identification and share its budget.
   */
  probes: z.strictObject({ ssh: probeLimitSchema.optional(), tls: probeLimitSchema.optional(), http: probeLimitSchema.optional() }).default({}),
  /** Endpoints triaged at once. */
  concurrency: z.number().int().min(1).max(1024).default(16),
  maxAddresses: z.number().int().min(1).max(1_048_576).default(65_536),
  /** PEM files of extra trusted roots (internal PKI), so certificates they issue are not reported as untrusted. */
  caFiles: z.array(z.string().min(1)).default([]),
  /** PostgreSQL role named in the start-up message to see which authentication the server asks for (no password is sent). */
  postgresUser: z.string().min(1).max(63).default('postgres'),
};

export const exposureTargetOptions = z.strictObject(exposureTargetShape);
export type ExposureTargetOptions = z.output<typeof exposureTargetOptions>;

/** The shared target options plus a check's own, with the rule that there is something to look at. */
export function exposureOptions<Extra extends z.core.$ZodLooseShape>(extra: Extra) {
  return z.strictObject({ ...exposureTargetShape, ...extra }).refine((o) => hasTargets(o as unknown as ExposureTargetOptions), {
    message: 'give at least one of hosts, endpoints or tlsEndpoints',
  });
}

function hasTargets(options: ExposureTargetOptions): boolean {
  return options.hosts.length + options.endpoints.length + options.tlsEndpoints.length > 0;
}

/** `--target 10.0.0.5`, `--target web.internal,10.0.0.0/28`, or `--target db.internal:5432` (an endpoint, no sweep). */
export function exposureCliTarget(value: string): { hosts?: string[]; endpoints?: string[] } {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const endpoints = items.filter((item) => /^\[.*\]:\d+$/.test(item) || /^[^:]+:\d+$/.test(item));
  const hosts = items.filter((item) => !endpoints.includes(item));
  return { ...(hosts.length ? { hosts } : {}), ...(endpoints.length ? { endpoints } : {}) };
}

/** Only the values that change what is probed: the key under which one triage is shared by the checks of a run. */
export function targetKey(options: ExposureTargetOptions): string {
  const picked = Object.fromEntries(Object.keys(exposureTargetShape).map((key) => [key, (options as Record<string, unknown>)[key]]));
  return JSON.stringify(picked);
}
