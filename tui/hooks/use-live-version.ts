import { useCallback, useEffect, useRef, useState } from 'react';
import type { TuiData } from '../data/source.js';

/**
 * Polls the ledger's change stamp (PRAGMA data_version, then a handful of max(rowid)s) and bumps a version when it
 * moved, so screens re-query only when the daemon or this process wrote something.
 */
export function useLiveVersion(data: TuiData, now: () => number, intervalMs: number): { version: number; refresh: () => void } {
  const [version, setVersion] = useState(0);
  const stamp = useRef<string | undefined>(undefined);
  const check = useCallback(() => {
    const next = data.changeStamp(now());
    if (stamp.current !== undefined && next !== stamp.current) setVersion((v) => v + 1);
    stamp.current = next;
  }, [data, now]);
  useEffect(() => {
    check();
    if (intervalMs <= 0) return;
    const timer = setInterval(check, intervalMs);
    return () => clearInterval(timer);
  }, [check, intervalMs]);
  return { version, refresh: check };
}
