import { z } from 'zod';
import type { ConnectionOptions } from 'bullmq';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import { TRIGGERS, type RunRequest } from '../../src/runs/run-result.js';

/**
 * What travels between the daemon and the workers through Redis, and how it is named there. Both sides validate what
 * they read with these schemas: Redis is shared infrastructure, and a malformed job must fail loudly, not half-run.
 */

/** The queue the daemon puts runs on and workers take them from. */
export const RUNS_QUEUE = 'runs';
/** The queue workers put results on and the daemon (the single writer) takes them from. */
export const RESULTS_QUEUE = 'results';
/** Pub/sub channel (under the prefix) the daemon uses to ask workers to abort runs at shutdown. */
export const ABORT_CHANNEL = 'abort';

export const DEFAULT_PREFIX = 'vigil';

export const runRequestSchema = z.strictObject({
  runId: z.string().min(1),
  checkId: z.string().min(1),
  targetId: z.string().min(1),
  trigger: z.enum(TRIGGERS),
  scheduleId: z.string().optional(),
  slot: z.number().int().optional(),
  options: z.unknown(),
  timeoutMs: z.number().int().positive(),
});

/** A run job: the request plus the cursors the ledger holds for it, because workers never open the database. */
export const runJobSchema = z.strictObject({
  request: runRequestSchema,
  cursors: z.record(z.string(), z.string()),
  /** When the daemon handed the run to the queue (epoch ms): the start of the queueing part of schedule lag. */
  enqueuedAt: z.number().int(),
  /** At most this many runs of the check at once across all workers (queue.checkConcurrency). */
  checkConcurrency: z.number().int().min(1).optional(),
});
export type RunJob = z.infer<typeof runJobSchema>;

export const abortMessageSchema = z.strictObject({ runIds: z.array(z.string().min(1)), reason: z.string() });

/**
 * BullMQ job ids may not contain ':' or be an integer, and run ids hold ISO timestamps ("ports@2030-01-01T00:00:00Z").
 * The encoding is reversible and keeps ids readable in redis-cli; the same run id always maps to the same job id,
 * which is what makes a re-enqueued tick a no-op instead of a second run.
 */
export function jobIdFor(runId: string): string {
  return `run.${runId.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))}`;
}

export function runIdFromJobId(jobId: string): string {
  return jobId.slice('run.'.length).replace(/%3A|%25/g, (c) => (c === '%3A' ? ':' : '%'));
}

export function requestFromJob(data: unknown): RunJob {
  const parsed = runJobSchema.safeParse(data);
  if (!parsed.success) throw new Error(`malformed run job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...parsed.data, request: parsed.data.request as RunRequest & { options: unknown } };
}

/** BullMQ builds its own ioredis connections (a blocking one per worker) from these options. */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidConfigError(`queue: '${url}' is not a URL; use 'in-process' or redis://host:port[/db]`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidConfigError(`queue: unsupported scheme '${parsed.protocol}' in '${url}'; use redis:// or rediss://`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidConfigError(`queue: database index '${parsed.pathname.slice(1)}' in '${url}' is not a number`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ requires unlimited retries on those connections so a Redis restart is waited out.
    maxRetriesPerRequest: null,
  };
}
