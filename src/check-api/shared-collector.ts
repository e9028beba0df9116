import type { Collector } from './types.js';

const SHARED = Symbol.for('vigil.sharedCollector');

/**
 * Marks a collector whose result depends only on the run's raw options and services (not on the check, the cursor or
 * the target name), so runs of one group (one `audit run aws` invocation, one scheduled tick of an area job) collect
 * once and every check evaluates the same inventory. Sixty CIS controls must not list every bucket sixty times.
 * Collectors that read or write cursors must not be shared: each check keeps its own incremental state.
 */
export function sharedCollector<F extends Collector<any, any>>(collector: F): F {
  const wrapper = ((ctx: Parameters<F>[0]) => collector(ctx)) as F;
  Object.defineProperty(wrapper, SHARED, { value: collector });
  return wrapper;
}

/** The identity runs share a result under, or undefined when the collector is not shared. */
export function sharedIdentityOf(collector: Collector<any, any>): object | undefined {
  return (collector as unknown as Record<symbol, object | undefined>)[SHARED];
}
