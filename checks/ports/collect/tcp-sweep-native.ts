/**
 * Loads and drives the native sweep addon (checks/ports/native). The `.node` file is built in place by the
 * package's install script and is not copied to dist/, so it is found from the package root, which works from the
 * TS sources (vitest) and from dist/checks/ports/collect/ alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SweepAbortedError, type EngineOutcome, type EngineRequest } from './tcp-sweep-contract.js';

interface NativeHandle {
  readonly promise: Promise<{
    states: Uint8Array;
    probes: number;
    retried: number;
    selfConnects: number;
    localErrors: number;
    concurrency: number;
  }>;
  cancel(): void;
}

interface NativeBinding {
  sweep(
    addresses: readonly string[],
    ports: Uint16Array,
    options: { concurrency: number; timeoutMs: number; retries: number; retryConcurrency: number; retryTimeoutMs: number },
  ): NativeHandle;
}

const ADDON_PATH = ['checks', 'ports', 'native', 'build', 'Release', 'tcp_sweep.node'];

let binding: NativeBinding | null | undefined;
let loadError: unknown;

export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'vigil') return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named "vigil" above ${from}`);
  }
}

function readPackageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

function loadBinding(): NativeBinding | null {
  if (binding !== undefined) return binding;
  try {
    const require = createRequire(import.meta.url);
    binding = require(join(findPackageRoot(), ...ADDON_PATH)) as NativeBinding;
  } catch (error) {
    loadError = error;
    binding = null;
  }
  return binding;
}

export function nativeSweepAvailable(): boolean {
  return loadBinding() !== null;
}

/** Why the addon could not be loaded, for the error raised when `engine: 'native'` is forced. */
export function nativeSweepLoadError(): unknown {
  loadBinding();
  return loadError;
}

export async function runNativeSweep(req: EngineRequest): Promise<EngineOutcome> {
  const addon = loadBinding();
  if (addon === null) throw new Error('native TCP sweep addon is not built', { cause: loadError });
  if (req.signal?.aborted) throw new SweepAbortedError({ cause: req.signal.reason });

  const handle = addon.sweep(req.addresses, req.ports, {
    concurrency: req.concurrency,
    timeoutMs: req.timeoutMs,
    retries: req.retries,
    retryConcurrency: req.retryConcurrency,
    retryTimeoutMs: req.retryTimeoutMs,
  });
  // The addon stops within ~20 ms of cancel() and closes every socket before the promise rejects.
  const onAbort = (): void => handle.cancel();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { states, ...stats } = await handle.promise;
    return { states, stats };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ABORT_ERR') throw new SweepAbortedError({ cause: req.signal?.reason });
    throw error;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}
