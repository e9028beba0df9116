import { lazyCollector } from '../../../src/check-api/lazy.js';
import type { Collector } from '../../../src/check-api/types.js';
import type { ExposureTargetOptions } from '../options.js';
import type { ExposureInventory, ProbeName } from './triage.js';

/**
 * The exposure checks' collector, loaded on first use: the triage pulls in ssh2, bson and every probe, which the
 * registry (imported by every CLI command) must not pay for.
 */
export function triageCollector(probes: readonly ProbeName[]): Collector<ExposureInventory, ExposureTargetOptions> {
  return lazyCollector(async () => (await import('./triage.js')).triageCollector(probes));
}
