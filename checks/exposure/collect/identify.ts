import { setMaxListeners } from 'node:events';
import { classifyGreeting, mysqlVersion, printableBanner } from '../../ports/service-guess.js';
import { exchange, ProbeTimeout, type ExchangeEnd } from './exchange.js';
import { fetchHttp, type HttpResponseSummary } from './http.js';
import { probeMemcached, type MemcachedReport } from './memcached.js';
import { probeMongo, type MongoReport } from './mongodb.js';
import { parseMysqlGreeting, type MysqlReport } from './mysql.js';
import { probePostgres, type PostgresReport } from './postgresql.js';
import { probeRedis, type RedisReport } from './redis.js';
import { probeTls, type TlsReport } from './tls.js';
import type { Service } from '../../ports/service-guess.js';

export type ExposureService = Service | 'memcached' | 'mongodb';

/** What identification learned; for most protocols the identifying answer already is the triage answer. */
export interface Identification {
  readonly service: ExposureService;
  readonly banner: string;
  readonly redis?: RedisReport;
  readonly memcached?: MemcachedReport;
  readonly mongodb?: MongoReport;
  readonly postgresql?: PostgresReport;
  readonly mysql?: MysqlReport;
  readonly httpRoot?: HttpResponseSummary;
  readonly tls?: TlsReport;
  /** No probe matched and at least one was still waiting when time ran out: we could not look. */
  readonly silent: boolean;
  /** How many of the probes sent were still waiting (0 unless silent). */
  readonly waiting?: number;
  readonly probes?: number;
}

export interface IdentifyOptions {
  readonly connectTimeoutMs: number;
  /** Total budget for identification. */
  readonly timeoutMs: number;
  /** How long a server-first protocol (SSH, MySQL, SMTP...) gets to greet before client-first probes go out. */
  readonly greetingMs: number;
  readonly servername?: string;
  readonly hostHeader?: string;
  readonly postgresUser: string;
  readonly ca: readonly Buffer[];
  readonly signal: AbortSignal;
}

type Outcome = Omit<Identification, 'silent'> | undefined;

/**
 * Says what listens, fast: the greeting is read first (server-first protocols), then one read-only request per
 * client-first protocol goes out at once, each on its own connection, and the first conclusive answer wins and
 * cancels the rest. Unlike the ports collector's identifyService (which waits for every probe, and keeps only a
 * banner), each probe here is the triage request itself (PING+INFO, stats, hello+listDatabases, start-up, GET /,
 * handshake), so identification and triage cost one round trip on most services. Classification of greetings is
 * shared with the ports area (classifyGreeting).
 */
export async function identifyEndpoint(address: string, port: number, options: IdentifyOptions): Promise<Identification> {
  const race = new AbortController();
  setMaxListeners(0, race.signal);
  const forward = () => race.abort();
  options.signal.addEventListener('abort', forward, { once: true });
  const started = Date.now();
  const remaining = () => Math.max(options.timeoutMs - (Date.now() - started), 50);
  const line = () => ({ connectTimeoutMs: options.connectTimeoutMs, timeoutMs: remaining(), signal: race.signal });
  const ends: ExchangeEnd[] = [];
  const stillWaiting = (end: ExchangeEnd) => end === 'timeout' || end === 'connect-timeout' || end === 'aborted';

  try {
    return await new Promise<Identification>((resolve) => {
      let pending = 0;
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        race.abort();
        // No protocol matched: if any probe was still waiting for its answer, we cannot say it is none of them.
        const waiting = ends.filter(stillWaiting).length;
        resolve(outcome ? { ...outcome, silent: false } : { ...unknownFrom(greetingData)!, silent: waiting > 0, waiting, probes: ends.length });
      };
      // An answer that another probe may still overrule: HTTPS servers (nginx, Apache) answer plain HTTP with a 400
      // ("The plain HTTP request was sent to HTTPS port"), which arrives before the TLS handshake completes.
      let fallback: Outcome;
      const attempt = (run: () => Promise<{ outcome: Outcome; end: ExchangeEnd; weak?: boolean }>) => {
        pending += 1;
        run()
          .catch((error: unknown) => ({ outcome: undefined, end: (error instanceof ProbeTimeout ? 'timeout' : 'closed') as ExchangeEnd }))
          .then(({ outcome, end, weak }: { outcome: Outcome; end: ExchangeEnd; weak?: boolean }) => {
            ends.push(end);
            pending -= 1;
            if (outcome && weak) fallback = outcome;
            else if (outcome) return settle(outcome);
            if (pending === 0 && clientFirstSent) settle(fallback);
          });
      };

      let greetingData: Buffer = Buffer.alloc(0);
      let clientFirstSent = false;
      attempt(async () => {
        const greeting = await exchange(address, port, {
          connectTimeoutMs: options.connectTimeoutMs,
          totalTimeoutMs: options.timeoutMs,
          isComplete: (data) => data.includes(0x0a) || parseMysqlGreeting(data) !== undefined || data.length >= 4096,
          signal: race.signal,
        });
        greetingData = greeting.data;
        if (greeting.data.length === 0) return { outcome: undefined, end: greeting.end };
        // A server that speaks first and is not one we know stays unknown: client-first probes would not change that.
        return { outcome: fromGreeting(greeting.data) ?? unknownFrom(greeting.data), end: greeting.end };
      });

      const clientFirst = () => {
        if (settled) return;
        clientFirstSent = true;
        attempt(async () => {
          const result = await probeRedis(address, port, line());
          return { outcome: { service: 'redis', banner: result.open ? '+PONG' : `-${result.refusal ?? ''}`, redis: result }, end: 'complete' };
        });
        attempt(async () => {
          const { report, result } = await probeMemcached(address, port, line());
          return { outcome: report ? { service: 'memcached', banner: printableBanner(result.data.subarray(0, 80)), memcached: report } : undefined, end: result.end };
        });
        attempt(async () => {
          const { report, result } = await probeMongo(address, port, line());
          return { outcome: report ? { service: 'mongodb', banner: `MongoDB ${report.version ?? ''}`.trim(), mongodb: report } : undefined, end: result.end };
        });
        attempt(async () => {
          const report = await probePostgres(address, port, { ...line(), user: options.postgresUser });
          return { outcome: { service: 'postgresql', banner: `PostgreSQL (${report.auth})`, postgresql: report }, end: 'complete' };
        });
        attempt(async () => {
          const root = await fetchHttp(address, port, '/', { connectTimeoutMs: options.connectTimeoutMs, timeoutMs: remaining(), scheme: 'http', signal: race.signal, ...hostHeader(options) }, remaining());
          const weak = root.status === 400 || /\b(https|ssl|tls)\b/i.test(root.body.slice(0, 512));
          return { outcome: { service: 'http', banner: `HTTP ${root.status}${root.headers.server ? ` ${root.headers.server}` : ''}`, httpRoot: root }, end: 'complete', weak };
        });
        attempt(async () => {
          const tls = await probeTls(address, port, {
            connectTimeoutMs: options.connectTimeoutMs,
            timeoutMs: remaining(),
            ca: options.ca,
            signal: race.signal,
            modernOnly: true,
            ...(options.servername ? { servername: options.servername } : {}),
          });
          return { outcome: { service: 'tls', banner: `TLS ${tls.protocol ?? ''}`.trim(), tls }, end: 'complete' };
        });
      };
      const greetingTimer = setTimeout(clientFirst, options.greetingMs);
      race.signal.addEventListener('abort', () => clearTimeout(greetingTimer), { once: true });
    });
  } finally {
    options.signal.removeEventListener('abort', forward);
  }
}

function fromGreeting(data: Buffer): Outcome {
  const service = classifyGreeting(data);
  if (!service) return undefined;
  if (service === 'mysql') {
    const mysql = parseMysqlGreeting(data);
    const version = mysqlVersion(data);
    return { service, banner: version ? `MySQL protocol 10, server ${version}` : printableBanner(data), ...(mysql ? { mysql } : {}) };
  }
  return { service, banner: printableBanner(data) };
}

/** Nothing conclusive: keep whatever the server said first as the banner of an unknown service. */
function unknownFrom(greeting: Buffer): Outcome {
  return { service: 'unknown', banner: printableBanner(greeting) };
}

function hostHeader(options: IdentifyOptions): { hostHeader?: string } {
  return options.hostHeader ? { hostHeader: options.hostHeader } : {};
}
