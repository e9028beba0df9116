import { Worker } from 'node:worker_threads';
import type { SecretMatch } from './secret-scanner.js';

export interface ScanWorkerSettings {
  readonly disabledRules: readonly string[];
  readonly stopwords: readonly string[];
}
/** Blobs travel in batches: one message per ~1 MB instead of one per blob, both ways. */
export interface ScanJob {
  readonly batch: number;
  /** Every blob of the batch, back to back in one transferable buffer; `ends[i]` is where blob i stops. */
  readonly bytes: Uint8Array;
  readonly ends: readonly number[];
}
export interface ScanReply {
  readonly batch: number;
  /** Only the blobs (by index in the batch) that had matches. */
  readonly matches: readonly { readonly index: number; readonly matches: SecretMatch[] }[];
}

const BATCH_BYTES = 1024 * 1024;

/** Bytes handed to workers and not yet answered; above this the git readers are paused. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface ScanPool {
  /** Queues one blob; `onMatches` runs on the main thread when a worker has scanned it. */
  scan(bytes: Buffer, onMatches: (matches: SecretMatch[]) => void): void;
  /** True while too many bytes wait in the workers: the caller should stop reading until `whenOpen` fires. */
  blocked(): boolean;
  whenOpen(callback: () => void): void;
  /** Waits for every queued blob, then stops the workers. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Matching on worker threads, so the 2-core budget is spent on git's delta resolution in one place and matching in
 * another rather than on one Node thread waiting for both. Only whole blobs cross the thread boundary (copied into a
 * transferable buffer, a megabyte at a time); results come back already redacted.
 */
export function createScanPool(size: number, settings: ScanWorkerSettings): ScanPool {
  const url = workerUrl();
  const workers = Array.from({ length: size }, () => new Worker(url, { workerData: settings }));
  const pending = new Map<number, { callbacks: ((matches: SecretMatch[]) => void)[]; bytes: number; worker: number }>();
  const load = new Array<number>(size).fill(0);
  let inFlight = 0;
  let nextBatch = 0;
  let failure: Error | undefined;
  let openWaiters: (() => void)[] = [];
  let idleWaiters: (() => void)[] = [];
  let batch: { blobs: Buffer[]; callbacks: ((matches: SecretMatch[]) => void)[]; bytes: number } = { blobs: [], callbacks: [], bytes: 0 };

  const settle = () => {
    if (inFlight <= MAX_IN_FLIGHT_BYTES / 2 || failure) {
      const waiters = openWaiters;
      openWaiters = [];
      waiters.forEach((callback) => callback());
    }
    if (pending.size === 0 || failure) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((callback) => callback());
    }
  };
  const flush = () => {
    if (batch.blobs.length === 0 || failure) return;
    const id = nextBatch++;
    // The least-loaded worker takes it. One fresh buffer per batch is moved, not cloned: one allocation per megabyte
    // instead of one per blob keeps the main thread's garbage collector quiet.
    const target = load.indexOf(Math.min(...load));
    const bytes = new Uint8Array(batch.bytes);
    const ends: number[] = [];
    let at = 0;
    for (const blob of batch.blobs) {
      bytes.set(blob, at);
      at += blob.length;
      ends.push(at);
    }
    pending.set(id, { callbacks: batch.callbacks, bytes: batch.bytes, worker: target });
    inFlight += batch.bytes;
    load[target]! += batch.bytes;
    workers[target]!.postMessage({ batch: id, bytes, ends } satisfies ScanJob, [bytes.buffer]);
    batch = { blobs: [], callbacks: [], bytes: 0 };
  };
  workers.forEach((worker) => {
    worker.on('message', (reply: ScanReply) => {
      const job = pending.get(reply.batch);
      if (!job) return;
      pending.delete(reply.batch);
      inFlight -= job.bytes;
      load[job.worker]! -= job.bytes;
      try {
        for (const { index, matches } of reply.matches) job.callbacks[index]!(matches);
      } catch (error) {
        failure ??= error as Error;
      }
      settle();
    });
    worker.on('error', (error) => {
      failure ??= error;
      settle();
    });
  });

  const close = async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  };

  return {
    scan(bytes, onMatches) {
      if (failure) return;
      batch.blobs.push(bytes);
      batch.callbacks.push(onMatches);
      batch.bytes += bytes.length;
      if (batch.bytes >= BATCH_BYTES) flush();
    },
    blocked: () => inFlight > MAX_IN_FLIGHT_BYTES && !failure,
    whenOpen(callback) {
      if (inFlight <= MAX_IN_FLIGHT_BYTES / 2 || failure) callback();
      else openWaiters.push(callback);
    },
    async finish() {
      flush();
      if (pending.size > 0 && !failure) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      await close();
      if (failure) throw failure;
    },
    close,
  };
}

/** The compiled worker next to this module; under the test runner (TypeScript sources) the build output's copy. */
function workerUrl(): URL {
  const url = new URL('./scan-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return url;
  const path = url.pathname;
  const at = path.lastIndexOf('/checks/secrets/scan/');
  return new URL(`file://${path.slice(0, at)}/dist${path.slice(at)}`);
}
