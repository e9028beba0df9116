import { Worker } from 'node:worker_threads';
import type { ObjectScanResult } from './object-scan.js';

export interface ScanWorkerSettings {
  readonly disabledRules: readonly string[];
  readonly stopwords: readonly string[];
}

export interface ScanWorkerInput {
  readonly gitDir: string;
  readonly oids: readonly string[];
  readonly settings: ScanWorkerSettings;
}

/**
 * Reads and matches a long object list on worker threads, one per slice, each with its own `git cat-file`. Rebuilding blobs from delta chains is single-threaded in git and matching is
 * single-threaded in a JS thread, so this is what puts both cores to work; the main thread only waits. Only redacted
 * results cross threads.
 */
export async function scanInWorkers(gitDir: string, slices: readonly (readonly string[])[], settings: ScanWorkerSettings, signal?: AbortSignal): Promise<ObjectScanResult> {
  const workers: Worker[] = [];
  const stop = () => workers.forEach((worker) => void worker.terminate());
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const results = await Promise.all(
      slices.filter((slice) => slice.length > 0).map(
        (slice) =>
          new Promise<ObjectScanResult>((resolve, reject) => {
            const worker = new Worker(workerUrl(), { workerData: { gitDir, oids: slice, settings } satisfies ScanWorkerInput });
            workers.push(worker);
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', (code) => reject(new Error(signal?.aborted ? 'scan aborted' : `secret scan worker exited with code ${code}`)));
          }),
      ),
    );
    return {
      blobs: results.flatMap((r) => r.blobs),
      messages: results.flatMap((r) => r.messages),
      binary: results.reduce((n, r) => n + r.binary, 0),
      bytesRead: results.reduce((n, r) => n + r.bytesRead, 0),
    };
  } catch (error) {
    stop();
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** The compiled worker next to this module; under the test runner (TypeScript sources) the build output's copy. */
function workerUrl(): URL {
  const url = new URL('./scan-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return url;
  const path = url.pathname;
  const at = path.lastIndexOf('/checks/secrets/scan/');
  return new URL(`file://${path.slice(0, at)}/dist${path.slice(at)}`);
}
