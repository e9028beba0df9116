import { z } from 'zod';
import { LOG_LEVELS } from '../log.js';
import { durationSchema } from './duration.js';
import { checkRouteSinks, jiraSchema, sinkNameSchema, notifySchema, routeSchema, runbooksSchema, sinkSchema } from '../notify/config.js';

/**
 * The config file's shape. Every object is strict so a typo is an error that names the key, never a silently
 * ignored setting. Check options are validated separately against each check's own schema (see validate.ts).
 */
export const scheduleSchema = z
  .strictObject({
    cron: z.string().optional(),
    every: durationSchema.optional(),
    timezone: z.string().optional(),
    jitter: durationSchema.optional(),
  })
  .refine((s) => (s.cron === undefined) !== (s.every === undefined), { message: 'give exactly one of cron or every' });

export const overlapSchema = z.enum(['skip', 'queue-one']);
export const catchupSchema = z.enum(['once', 'skip']);

export const jobSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'job names are letters, digits, dot, dash and underscore'),
  check: z.string().min(1),
  enabled: z.boolean().default(true),
  /** `manual`: on demand only, even for a check that declares a default schedule. */
  schedule: z.union([z.literal('manual'), scheduleSchema], { error: 'expected manual, { every: 15m } or { cron: "*/15 * * * *" }' }).optional(),
  timeout: durationSchema.optional(),
  overlap: overlapSchema.optional(),
  catchup: catchupSchema.optional(),
  options: z.record(z.string(), z.unknown()).default({}),
});

const queueObjectSchema = z.strictObject({
  /** 'in-process' (the embedded default) or a redis:// / rediss:// URL: runs then go to `audit worker` processes. */
  url: z.union([z.literal('in-process'), z.string().regex(/^rediss?:\/\/\S+$/, "expected 'in-process' or a redis:// URL")]).default('in-process'),
  /** Redis key prefix, so several installations can share one Redis. */
  prefix: z.string().regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, dot, colon, dash and underscore').default('vigil'),
  /** Runs at once per `audit worker` process. */
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Attempts per run on a worker: a 'failed' run is retried with exponential backoff from `retryBackoff`. */
  attempts: z.number().int().min(1).max(10).default(2),
  retryBackoff: durationSchema.default(10_000),
  /** A worker that dies holding a run loses it after this long; another worker then runs it (same run id). */
  lockDuration: durationSchema.default(30_000),
  /** At most N runs of a check at once across all workers, by check id or prefix glob: { "aws.*": 2 }. */
  checkConcurrency: z.record(z.string().regex(/^[a-z0-9][a-z0-9.-]*\*?$/, 'a check id or a prefix ending in *'), z.number().int().min(1).max(1000)).default({}),
});

/** `queue: redis://...` is shorthand for `queue: {url: redis://...}`. */
export const queueSchema = z.preprocess((value) => (typeof value === 'string' ? { url: value } : value), queueObjectSchema).prefault({});

const apiTokenSchema = z.strictObject({
  /** Who the token belongs to (recorded with the runs it triggers). */
  name: z.string().min(1),
  /** Use ${ENV} interpolation; at least 24 characters. */
  token: z.string().min(24, 'API tokens must be at least 24 characters'),
});

export const apiSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Loopback unless told otherwise. */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    tokens: z.array(apiTokenSchema).default([]),
    tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
    /** Largest request body accepted, in bytes. */
    bodyLimit: z.number().int().min(256).max(10_485_760).default(65_536),
    /** Requests per client address per window; more get 429 with Retry-After. */
    rateLimit: z.strictObject({ requests: z.number().int().min(1).default(60), window: durationSchema.default(60_000) }).prefault({}),
    slack: z
      .strictObject({
        /** Slack app signing secret (use ${SLACK_SIGNING_SECRET}). */
        signingSecret: z.string().min(1),
      })
      .optional(),
  })
  .refine((api) => !api.enabled || api.tokens.length > 0 || api.slack !== undefined, {
    message: 'api.enabled needs at least one entry in api.tokens (or api.slack)',
  })
  .prefault({});

export const configSchema = z.strictObject({
  store: z.strictObject({ path: z.string().min(1).default('./vigil.db') }).prefault({}),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  daemon: z
    .strictObject({
      shutdownGrace: durationSchema.default(30_000),
      maxConcurrentRuns: z.number().int().min(1).max(64).default(4),
    })
    .prefault({}),
  defaults: z
    .strictObject({
      timeout: durationSchema.default(1_800_000),
      overlap: overlapSchema.default('skip'),
      catchup: catchupSchema.default('once'),
    })
    .prefault({}),
  network: z
    .strictObject({
      /** Resolvers for host names in targets (e.g. the internal split-horizon resolver); empty means the system's. */
      dnsServers: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  jobs: z.array(jobSchema).default([]),
  // Alerts and tickets (src/notify, src/tickets): named sinks, a routing list, runbook URLs by check glob, Jira.
  notify: notifySchema,
  sinks: z.record(sinkNameSchema, sinkSchema).default({}),
  routes: z.array(routeSchema).default([]),
  runbooks: runbooksSchema,
  jira: jiraSchema.optional(),
  // Distributed runs (jobs/bullmq) and the HTTP API (src/api): both off by default.
  queue: queueSchema,
  api: apiSchema,
}).superRefine(checkRouteSinks);

export type VigilConfig = z.output<typeof configSchema>;
export type JobConfig = z.output<typeof jobSchema>;
