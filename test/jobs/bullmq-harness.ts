import { Redis } from 'ioredis';
import type { BullmqBackend } from '../../jobs/bullmq/backend.js';
import type { RunWorker } from '../../jobs/bullmq/worker.js';

/** The machine's Redis on loopback; every test uses its own key prefix under vigil-test:<pid>: and deletes it after. */
export const REDIS_URL = process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

let counter = 0;
export function testPrefix(label = 't'): string {
  counter += 1;
  return `vigil-test:${process.pid}:${label}${counter}`;
}

/** Deletes every key under the prefix (SCAN + UNLINK; never FLUSHALL on a shared Redis). */
export async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  let deleted = 0;
  try {
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Waits (in real time) until every outstanding run is executing on the worker and no Redis call is in flight on either
 * side: the moment a fake-clock test may move time on. Gives up after 3 s so a run that never starts fails the
 * test's own assertions instead of hanging it.
 */
export async function quiet(backend: BullmqBackend, workers: readonly RunWorker[]): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    const executing = (id: string) => workers.some((w) => w.executing.has(id));
    const idle =
      backend.pendingIo() === 0 &&
      workers.every((w) => w.pendingIo() === 0) &&
      backend.outstanding().every((id) => executing(id) && backend.started().has(id));
    if (idle) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
