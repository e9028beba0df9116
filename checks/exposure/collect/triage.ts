import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { InvalidConfigError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Collector, Coverage } from '../../../src/check-api/types.js';
import { FINGERPRINT_PATHS } from '../http-fingerprints.js';
import { PROBE_FAMILIES, targetKey, type ExposureTargetOptions, type ProbeFamily } from '../options.js';
import { discoverEndpoints, readCaFiles, type Endpoint } from './discover.js';
import { ProbeTimeout } from './exchange.js';
import { probeHttp, type HttpReport } from './http.js';
import { identifyEndpoint, type ExposureService, type Identification } from './identify.js';
import type { MemcachedReport } from './memcached.js';
import type { MongoReport } from './mongodb.js';
import { probeMysql, type MysqlReport } from './mysql.js';
import type { PostgresReport } from './postgresql.js';
import type { RedisReport } from './redis.js';
import { probeSshAuth, type SshAuthReport } from './ssh-auth.js';
import { probeTls, type TlsReport } from './tls.js';

export type { ExposureService };
export type ProbeName = 'identify' | 'ssh' | 'redis' | 'memcached' | 'mongodb' | 'postgresql' | 'mysql' | 'tls' | 'tls-legacy' | 'http' | 'http-paths';

export interface EndpointTriage extends Endpoint {
  readonly service: ExposureService;
  readonly banner: string;
  readonly ssh?: SshAuthReport;
  readonly redis?: RedisReport;
  readonly memcached?: MemcachedReport;
  readonly mongodb?: MongoReport;
  readonly postgresql?: PostgresReport;
  readonly mysql?: MysqlReport;
  readonly tls?: TlsReport;
  readonly http?: HttpReport;
  readonly elapsedMs: number;
}

export interface ExposureInventory {
  /** When the probes ran (ms since the epoch): certificate expiry is judged against this, keeping evaluation pure. */
  readonly collectedAt: number;
  readonly endpoints: readonly EndpointTriage[];
}

interface ProbeFailure {
  readonly scope: string;
  readonly probe: ProbeName;
  readonly error: { readonly name: string; readonly message: string };
}

interface Triage {
  readonly inventory: ExposureInventory;
  readonly coverage: Coverage;
  readonly probeFailures: readonly ProbeFailure[];
}

/**
 * The collector of one exposure check: the shared triage, with coverage narrowed to what this check depends on
 * (discovery, identification, and its own probes). A Redis probe that timed out makes `exposure.redis-no-auth`
 * partial for that host, not `exposure.tls-certificate`.
 */
export function triageCollector(probes: readonly ProbeName[]): Collector<ExposureInventory, ExposureTargetOptions> {
  const relevant = new Set<ProbeName>(['identify', ...probes]);
  return async (ctx) => {
    const triage = await sharedTriage(ctx);
    const failed = [
      ...triage.coverage.failed,
      ...triage.probeFailures.filter((f) => relevant.has(f.probe)).map(({ scope, error }) => ({ scope, error })),
    ];
    const collected: Collected<ExposureInventory> = { data: triage.inventory, coverage: { ok: triage.coverage.ok, failed } };
    return collected;
  };
}

const SHARE_FOR_MS = 30_000;
const shared = new WeakMap<object, Map<string, { promise: Promise<Triage>; at: number }>>();

/**
 * `audit run exposure` runs about a dozen checks on one target one after another; each would sweep and probe the same
 * endpoints. One triage is shared for 30 s by the runs that get the same services object (one CLI invocation, one
 * daemon) and the same target options. A triage that was aborted or threw is never shared.
 */
function sharedTriage(ctx: CheckContext<ExposureTargetOptions>): Promise<Triage> {
  const byKey = shared.get(ctx.services) ?? new Map<string, { promise: Promise<Triage>; at: number }>();
  shared.set(ctx.services, byKey);
  const key = targetKey(ctx.options);
  const now = Date.now();
  const hit = byKey.get(key);
  if (hit && now - hit.at < SHARE_FOR_MS) return hit.promise;
  const promise = runTriage(ctx);
  byKey.set(key, { promise, at: now });
  const forget = () => {
    if (byKey.get(key)?.promise === promise) byKey.delete(key);
  };
  promise.then(() => ctx.signal.aborted && forget(), forget);
  return promise;
}

async function runTriage(ctx: CheckContext<ExposureTargetOptions>): Promise<Triage> {
  const options = ctx.options;
  for (const file of options.caFiles) if (!existsSync(file)) throw new InvalidConfigError(`caFiles: ${file} does not exist`);
  const ca = readCaFiles(options.caFiles);
  const discovery = await discoverEndpoints(ctx);
  const probeFailures: ProbeFailure[] = [];
  const endpoints: EndpointTriage[] = [];
  let done = 0;
  const limit = createLimiter(options.concurrency);
  const families = familyLimiters(options);
  await Promise.all(
    discovery.endpoints.map((endpoint) =>
      limit(async () => {
        const { triage, failures } = await triageEndpoint(endpoint, options, ca, ctx.signal, families);
        endpoints.push(triage);
        probeFailures.push(...failures);
        ctx.progress(++done, discovery.endpoints.length, `${endpoint.address}:${endpoint.port}`);
      }),
    ),
  );
  endpoints.sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port || (a.servername ?? '').localeCompare(b.servername ?? ''));
  return { inventory: { collectedAt: ctx.clock.now(), endpoints }, coverage: discovery.coverage, probeFailures };
}

/** Identify, then the probes that fit what answered, all inside `probeTimeoutMs` for the endpoint. */
export async function triageEndpoint(
  endpoint: Endpoint,
  options: ExposureTargetOptions,
  ca: readonly Buffer[],
  outerSignal: AbortSignal,
  families: FamilyLimiters = familyLimiters(options),
): Promise<{ triage: EndpointTriage; failures: ProbeFailure[] }> {
  // One listener on the run's signal per endpoint; the ~20 probes of this endpoint listen on a local one.
  const local = new AbortController();
  setMaxListeners(0, local.signal);
  const forward = () => local.abort(outerSignal.reason);
  if (outerSignal.aborted) forward();
  else outerSignal.addEventListener('abort', forward, { once: true });
  try {
    return await triageWith(endpoint, options, ca, local.signal, families);
  } finally {
    outerSignal.removeEventListener('abort', forward);
  }
}

async function triageWith(
  endpoint: Endpoint,
  options: ExposureTargetOptions,
  ca: readonly Buffer[],
  signal: AbortSignal,
  families: FamilyLimiters,
): Promise<{ triage: EndpointTriage; failures: ProbeFailure[] }> {
  const started = Date.now();
  const failures: ProbeFailure[] = [];
  const where = `${endpoint.address.includes(':') ? `[${endpoint.address}]` : endpoint.address}:${endpoint.port}`;
  const fail = (probe: ProbeName, error: unknown) => {
    const timeout = error instanceof ProbeTimeout;
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ scope: endpoint.scope, probe, error: { name: timeout ? 'CollectorTimeout' : 'CollectorUnreachable', message: `${where}: ${message}` } });
  };
  const remaining = () => Math.max(options.probeTimeoutMs - (Date.now() - started), 300);
  const line = () => ({ connectTimeoutMs: options.connectTimeoutMs, timeoutMs: remaining(), signal });
  /** A family's own cap, inside what is left of the endpoint's budget; read when the family's limiter lets it run. */
  const budget = (family: ProbeFamily) => Math.min(remaining(), options.probes[family]?.timeoutMs ?? Number.POSITIVE_INFINITY);
  const base = { ...endpoint, hostnames: [...endpoint.hostnames] };

  const hostHeader = endpoint.servername ?? endpoint.hostnames[0];
  const identity: Identification =
    endpoint.source === 'tls-endpoint'
      ? { service: 'tls', banner: '', silent: false }
      : await identifyEndpoint(endpoint.address, endpoint.port, {
          connectTimeoutMs: options.connectTimeoutMs,
          timeoutMs: options.identifyTimeoutMs,
          greetingMs: options.greetingTimeoutMs,
          postgresUser: options.postgresUser,
          ca,
          signal,
          ...(endpoint.servername ? { servername: endpoint.servername } : {}),
          ...(hostHeader ? { hostHeader } : {}),
        });
  if (identity.silent) {
    const what = identity.waiting === identity.probes ? `accepted the connection but answered none of ${identity.probes} probes` : `no probe matched and ${identity.waiting} of ${identity.probes} were still waiting`;
    fail('identify', new ProbeTimeout(`${what} within ${options.identifyTimeoutMs} ms (add the port to ignorePorts if it is known)`));
  }
  const { service, banner } = identity;

  const reports: { -readonly [K in keyof Omit<EndpointTriage, keyof Endpoint>]?: EndpointTriage[K] } = {
    redis: identity.redis,
    memcached: identity.memcached,
    mongodb: identity.mongodb,
    postgresql: identity.postgresql,
    mysql: identity.mysql,
  };
  const attempt = async <T>(probe: ProbeName, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      fail(probe, error);
      return undefined;
    }
  };
  const httpOptions = (scheme: 'http' | 'https') => ({ ...line(), timeoutMs: budget('http'), scheme, paths: FINGERPRINT_PATHS, ...(hostHeader ? { hostHeader } : {}) });
  switch (service) {
    case 'ssh':
      reports.ssh = await attempt('ssh', () => families.ssh(() => probeSshAuth(endpoint.address, endpoint.port, { timeoutMs: budget('ssh'), signal })));
      break;
    case 'mysql':
      reports.mysql ??= await attempt('mysql', () => probeMysql(endpoint.address, endpoint.port, line()));
      break;
    case 'http':
      reports.http = await attempt('http', () =>
        families.http(() => probeHttp(endpoint.address, endpoint.port, { ...httpOptions('http'), ...(identity.httpRoot ? { root: identity.httpRoot } : {}) })),
      );
      break;
    case 'tls': {
      let timeoutMs = 0;
      const [tls, https] = await Promise.all([
        attempt('tls', () =>
          families.tls(() => {
            timeoutMs = budget('tls');
            return probeTls(endpoint.address, endpoint.port, {
              connectTimeoutMs: options.connectTimeoutMs,
              timeoutMs,
              ca,
              signal,
              ...(endpoint.servername ? { servername: endpoint.servername } : {}),
              ...(identity.tls ? { known: identity.tls } : {}),
            });
          }),
        ),
        families.http(() => probeHttp(endpoint.address, endpoint.port, httpOptions('https'))).catch((error: unknown) => {
          // Not every TLS port speaks HTTP (SMTPS, LDAPS...): silence there is no gap, except where HTTPS is the norm.
          if (error instanceof ProbeTimeout && (endpoint.port === 443 || endpoint.port === 8443)) fail('http', error);
          return undefined;
        }),
      ]);
      reports.tls = tls;
      reports.http = https;
      if (tls?.legacyUntested.length) fail('tls-legacy', new ProbeTimeout(`no answer to a ${tls.legacyUntested.join(' / ')} handshake within ${timeoutMs} ms`));
      break;
    }
    default:
      // redis, memcached, mongodb and postgresql: the identifying answer is the triage answer.
      break;
  }
  if (reports.http?.timedOutPaths.length) {
    fail('http-paths', new ProbeTimeout(`no answer for ${reports.http.timedOutPaths.join(', ')} within ${options.probeTimeoutMs} ms`));
  }
  const triage: EndpointTriage = { ...base, service, banner, ...stripUndefined(reports), elapsedMs: Date.now() - started };
  return { triage, failures };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

type Limiter = ReturnType<typeof createLimiter>;
export type FamilyLimiters = Record<ProbeFamily, Limiter>;

function familyLimiters(options: ExposureTargetOptions): FamilyLimiters {
  return Object.fromEntries(PROBE_FAMILIES.map((family) => [family, createLimiter(options.probes[family]?.concurrency ?? Number.POSITIVE_INFINITY)])) as FamilyLimiters;
}

function createLimiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}
