import { sharedIdentityOf } from '../src/check-api/shared-collector.js';
import type { Collected, Collector } from '../src/check-api/types.js';

interface Entry {
  readonly createdAt: number;
  readonly result: Promise<Collected<unknown>>;
}

/**
 * Remembers what shared collectors returned for one group of runs, keyed by collector, raw options and the schedule
 * slot, so a tick's sixty AWS controls make one set of API calls while the next tick collects afresh. Entries older
 * than `maxAgeMs` are dropped: a long-lived daemon must not serve yesterday's inventory. A rejected collection is kept
 * too, so one failing account is asked once per group, not once per check.
 */
export class CollectionMemo {
  private readonly entries = new Map<object, Map<string, Entry>>();

  constructor(
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `collect` unless an entry for the same shared collector and key is fresh; unshared collectors always run. */
  collect<T>(collector: Collector<T, any>, key: string, collect: () => Promise<Collected<T>>): Promise<Collected<T>> {
    const identity = sharedIdentityOf(collector);
    if (!identity) return collect();
    this.evictStale();
    let byKey = this.entries.get(identity);
    if (!byKey) this.entries.set(identity, (byKey = new Map()));
    const existing = byKey.get(key);
    if (existing) return existing.result as Promise<Collected<T>>;
    const result = collect();
    // Keep the rejection observed so an unused shared failure never becomes an unhandled rejection.
    result.catch(() => {});
    byKey.set(key, { createdAt: this.now(), result });
    return result;
  }

  get size(): number {
    let total = 0;
    for (const byKey of this.entries.values()) total += byKey.size;
    return total;
  }

  private evictStale(): void {
    const cutoff = this.now() - this.maxAgeMs;
    for (const [identity, byKey] of this.entries) {
      for (const [key, entry] of byKey) if (entry.createdAt < cutoff) byKey.delete(key);
      if (byKey.size === 0) this.entries.delete(identity);
    }
  }
}

/** Stable JSON (sorted keys) so two jobs with the same options in a different key order share a collection. */
export function memoKey(options: unknown, slot: number | undefined): string {
  return `${slot ?? ''}|${stableJson(options)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .sort()
      .filter((key) => object[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableJson(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
