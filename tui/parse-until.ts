const DAY = 86_400_000;

/** "Accept until": `30d`, `12w`, `6m` (30-day months) or a date `2027-03-31` (end of that day, UTC). Must be in the future. */
export function parseUntil(text: string, now: number): { ok: true; at: number } | { ok: false; error: string } {
  const value = text.trim();
  const relative = /^(\d+)\s*([dwm])$/i.exec(value);
  let at: number;
  if (relative) {
    at = now + Number(relative[1]) * { d: DAY, w: 7 * DAY, m: 30 * DAY }[relative[2]!.toLowerCase() as 'd' | 'w' | 'm'];
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    at = Date.parse(`${value}T23:59:59Z`);
    if (Number.isNaN(at)) return { ok: false, error: `'${value}' is not a calendar date` };
  } else {
    return { ok: false, error: `'${value}': give a date like 2027-03-31 or a duration like 30d, 12w, 6m` };
  }
  if (at <= now) return { ok: false, error: 'the date must be in the future' };
  return { ok: true, at };
}
