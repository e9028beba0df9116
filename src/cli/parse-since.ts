import { InvalidConfigError } from '../check-api/errors.js';

/** `--since 24h`, `7d`, or an ISO date. */
export function parseSince(value: string, now = Date.now()): number {
  const relative = /^(\d+)(m|h|d)$/.exec(value);
  if (relative) return now - Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new InvalidConfigError(`--since '${value}' is neither a duration like 24h/7d nor a date`);
  return date;
}
