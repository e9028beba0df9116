/**
 * Fits text into a fixed-width cell. Hand-written rather than string-width/cli-truncate: cells hold ids, counts and
 * ASCII titles, and a wide character that slips through is still clipped by Ink's wrap="truncate" on the row.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const flat = text.replace(/\s+/g, ' ');
  const cut = flat.length > width ? (width > 1 ? `${flat.slice(0, width - 1)}…` : flat.slice(0, width)) : flat;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/** "3m", "4h", "2d": how long ago (or, for a future time, how long until). */
export function ago(at: number | null, now: number): string {
  if (at === null) return '-';
  const delta = Math.abs(now - at);
  const text = delta < 60_000 ? `${Math.floor(delta / 1000)}s` : delta < 3_600_000 ? `${Math.floor(delta / 60_000)}m` : delta < 86_400_000 ? `${Math.floor(delta / 3_600_000)}h` : `${Math.floor(delta / 86_400_000)}d`;
  return at > now ? `in ${text}` : `${text} ago`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 1000 ? `${ms}ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function isoMinute(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}
