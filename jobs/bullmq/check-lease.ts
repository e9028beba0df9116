import type { Redis } from 'ioredis';

/**
 * A cluster-wide cap on concurrent runs of one check (`queue.checkConcurrency`): a sorted set per check of run id →
 * lease expiry. BullMQ's open-source edition has no per-group concurrency, so this is the small part written by hand.
 * A worker renews its lease while the run goes; a worker that dies stops renewing and its slot frees itself after
 * the lease time, so a SIGKILL cannot block a check for good.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

export class CheckLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs: number,
  ) {}

  #key(checkId: string): string {
    return `${this.prefix}:check-lease:${checkId}`;
  }

  /** True when `runId` holds (or now takes) one of the `limit` slots of `checkId`. */
  async acquire(checkId: string, runId: string, limit: number): Promise<boolean> {
    const now = Date.now();
    const taken = await this.redis.eval(ACQUIRE, 1, this.#key(checkId), String(now), String(now + this.leaseMs), runId, String(limit), String(this.leaseMs * 4));
    return taken === 1;
  }

  /** Keeps the lease alive while the run goes; returns a stop function that also releases it. */
  hold(checkId: string, runId: string): () => Promise<void> {
    const timer = setInterval(() => {
      void this.redis.zadd(this.#key(checkId), 'XX', Date.now() + this.leaseMs, runId).catch(() => undefined);
      void this.redis.pexpire(this.#key(checkId), this.leaseMs * 4).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    return async () => {
      clearInterval(timer);
      await this.redis.zrem(this.#key(checkId), runId);
    };
  }
}
