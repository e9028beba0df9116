import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { InvalidConfigError, describeError } from '../check-api/errors.js';
import type { ResolvedJob } from '../config/load.js';
import type { apiSchema } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { VigilMetrics } from '../metrics/metrics.js';
import type { RunRequest } from '../runs/run-result.js';
import type { Db } from '../store/db.js';
import { bearerAuthenticator } from './auth.js';
import { ApiError, parseJsonBody, readBody, sendJson, sendText } from './http-util.js';
import { findingsPage, findingsQuerySchema, parseQuery, runsPage, runsQuerySchema } from './queries.js';
import { FixedWindowLimiter } from './rate-limit.js';
import { handleSlackAction } from './slack/actions.js';
import { handleSlackCommand } from './slack/commands.js';
import { verifySlackRequest } from './slack/verify.js';
import { planRuns, runTriggerSchema } from './trigger.js';

export type ApiConfig = z.output<typeof apiSchema>;

export interface ApiDeps {
  readonly config: ApiConfig;
  readonly db: Db;
  readonly jobs: readonly ResolvedJob[];
  readonly knownCheck: (id: string) => boolean;
  readonly enqueue: (request: RunRequest) => Promise<void>;
  /** Is the run queue reachable? (Redis ping for BullMQ; always true in-process.) */
  readonly queueReady: () => Promise<void>;
  readonly metrics?: VigilMetrics;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface ApiServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Readiness checks get this long; a hung Redis makes /readyz answer 503, not hang. */
const READY_TIMEOUT_MS = 2_000;

/**
 * The HTTP API: node:http (no framework; the surface is nine routes). Off by default, loopback by default, bearer
 * tokens on everything but the probes and Slack (which signs its requests), a per-client rate limit before any work,
 * and a body limit enforced while reading.
 */
export async function startApi(deps: ApiDeps): Promise<ApiServer> {
  const { config, log } = deps;
  const now = deps.now ?? Date.now;
  const authenticate = bearerAuthenticator(config.tokens);
  const limiter = new FixedWindowLimiter(config.rateLimit.requests, config.rateLimit.window, now);

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    route(req, res)
      .catch((error: unknown) => {
        if (error instanceof ApiError) {
          sendJson(res, error.status, { error: error.message }, error.headers);
          return;
        }
        log.error({ err: describeError(error), method: req.method, path: req.url }, 'api request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the daemon log' });
        else res.destroy();
      })
      .finally(() => log.debug({ method: req.method, path: req.url, status: res.statusCode, ms: Date.now() - started }, 'api request'));
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vigil.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/healthz' && method === 'GET') return sendJson(res, 200, { status: 'ok' });

    const retryMs = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (retryMs > 0) throw new ApiError(429, 'too many requests; slow down', { 'retry-after': String(Math.ceil(retryMs / 1000)) });

    if (path === '/readyz' && method === 'GET') return readyz(res);
    if (path.startsWith('/v1/slack/')) return slack(req, res, path, method);

    const caller = authenticate(req.headers.authorization);
    if (caller === undefined) {
      throw new ApiError(401, req.headers.authorization ? 'invalid token' : 'missing bearer token (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
    }
    if (path === '/metrics' && method === 'GET') {
      if (!deps.metrics) throw new ApiError(404, 'metrics are not enabled');
      return sendText(res, 200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
    }
    if (path === '/v1/findings' && method === 'GET') return sendJson(res, 200, findingsPage(deps.db, parseQuery(findingsQuerySchema, url.searchParams)));
    if (path === '/v1/runs' && method === 'GET') return sendJson(res, 200, runsPage(deps.db, parseQuery(runsQuerySchema, url.searchParams)));
    if (path === '/v1/runs' && method === 'POST') {
      const body = parseJsonBody(await readBody(req, config.bodyLimit), req.headers['content-type']);
      const parsed = runTriggerSchema.safeParse(body);
      if (!parsed.success) throw new ApiError(400, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
      const requests = planRuns(parsed.data, deps.jobs, deps.knownCheck);
      for (const request of requests) await deps.enqueue(request);
      log.info({ by: caller, check: parsed.data.check, runs: requests.map((r) => r.runId), reason: parsed.data.reason }, 'runs requested over the API');
      return sendJson(res, 202, { runs: requests.map((r) => ({ runId: r.runId, check: r.checkId, target: r.targetId })) });
    }
    if (path === '/v1/artifacts' && method === 'POST') {
      // The CI hand-off of checks/deps (`audit artifacts add` over HTTP), loaded on use like every check module.
      const body = parseJsonBody(await readBody(req, config.bodyLimit), req.headers['content-type']);
      const { registerUploadedArtifact } = await import('../../checks/deps/collect/handoff.js');
      let result;
      try {
        result = await registerUploadedArtifact(deps.db, body, now());
      } catch (error) {
        if (error instanceof InvalidConfigError) throw new ApiError(400, error.message);
        throw error;
      }
      log.info({ by: caller, artifact: `${result.source}/${result.name}@${result.version}`, outcome: result.outcome }, 'artifact registered over the API');
      return sendJson(res, result.outcome === 'added' ? 201 : 200, result);
    }
    const known = ['/metrics', '/v1/findings', '/v1/runs', '/v1/artifacts'];
    throw new ApiError(known.includes(path) ? 405 : 404, known.includes(path) ? `${method} is not allowed on ${path}` : `no route ${method} ${path}`);
  }

  async function readyz(res: ServerResponse): Promise<void> {
    const checks: Record<string, string> = {};
    try {
      // BEGIN IMMEDIATE takes the write lock: the ledger is writable right now (not read-only, not locked out).
      deps.db.exec('BEGIN IMMEDIATE');
      deps.db.exec('ROLLBACK');
      checks.database = 'ok';
    } catch (error) {
      checks.database = describeError(error);
    }
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([deps.queueReady(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)))]);
      clearTimeout(timer);
      checks.queue = 'ok';
    } catch (error) {
      checks.queue = describeError(error);
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks });
  }

  async function slack(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    if (!config.slack) throw new ApiError(404, 'Slack is not configured (api.slack.signingSecret)');
    if (method !== 'POST') throw new ApiError(405, `${method} is not allowed on ${path}`);
    const raw = await readBody(req, config.bodyLimit);
    verifySlackRequest(config.slack.signingSecret, req.headers, raw, now());
    const form = new URLSearchParams(raw.toString('utf8'));
    if (path === '/v1/slack/commands') return sendJson(res, 200, await handleSlackCommand(form, deps));
    if (path === '/v1/slack/actions') return sendJson(res, 200, handleSlackAction(form, deps.db, now()));
    throw new ApiError(404, `no route ${method} ${path}`);
  }

  const server: Server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }, handler)
    : createHttpServer(handler);
  // Bounded: slow clients cannot hold sockets open (slowloris), and a flood cannot open unbounded connections.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;
  log.info({ url, tls: Boolean(config.tls), tokens: config.tokens.map((t) => t.name), slack: Boolean(config.slack) }, 'api listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
