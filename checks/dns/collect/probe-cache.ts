import { createHash } from 'node:crypto';
import type { CursorStore } from '../../../src/check-api/types.js';

/**
 * Incremental re-checks through the run's cursor (committed only with the run, so a crashed run re-probes): each
 * record's probe is kept with a digest of what the record said. An unchanged record reuses its last conclusive probe
 * until the next full pass is due; changed, new and inconclusive records are always probed again. Findings for
 * unchanged records are therefore re-emitted from the cache, and a complete run never resolves them by omission.
 */
export interface ProbeCache<P> {
  readonly fullPass: boolean;
  reuse(recordKey: string, digest: string): P | undefined;
  keep(recordKey: string, digest: string, probe: P, conclusive: boolean): void;
  commit(): void;
}

interface Stored<P> {
  readonly version: 1;
  readonly fullPassAt: number;
  readonly entries: Record<string, { d: string; p: P }>;
}

export function digestOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

export function openProbeCache<P>(cursor: CursorStore, key: string, options: { enabled: boolean; fullPassEveryHours: number; now: number }): ProbeCache<P> {
  let stored: Stored<P> | undefined;
  try {
    const raw = cursor.get(key);
    const parsed = raw ? (JSON.parse(raw) as Stored<P>) : undefined;
    if (parsed?.version === 1 && typeof parsed.fullPassAt === 'number' && parsed.entries) stored = parsed;
  } catch {
    stored = undefined; // An unreadable cache only costs a full pass.
  }
  const fullPass = !options.enabled || !stored || options.now - stored.fullPassAt >= options.fullPassEveryHours * 3_600_000;
  const next: Record<string, { d: string; p: P }> = {};
  return {
    fullPass,
    reuse(recordKey, digest) {
      if (fullPass) return undefined;
      const entry = stored?.entries[recordKey];
      return entry && entry.d === digest ? entry.p : undefined;
    },
    keep(recordKey, digest, probe, conclusive) {
      if (conclusive) next[recordKey] = { d: digest, p: probe };
    },
    commit() {
      if (!options.enabled) return;
      const value: Stored<P> = { version: 1, fullPassAt: fullPass ? options.now : stored!.fullPassAt, entries: next };
      cursor.set(key, JSON.stringify(value));
    },
  };
}
