import { CronExpression, CronExpressionParser, CronFieldCollection } from 'cron-parser';
import { InvalidConfigError, describeError } from '../src/check-api/errors.js';

/**
 * One recurring job as the scheduler sees it. Slots are the scheduled instants (epoch ms); a tick's identity is
 * (id, slot), so it is stable across restarts and across processes, like BullMQ's time slots.
 */
export interface ScheduleSpec {
  readonly id: string;
  readonly checkId: string;
  readonly targetId: string;
  readonly options: unknown;
  readonly timeoutMs: number;
  /** 5 fields, or 6 with a leading seconds field; `@hourly`-style aliases too. */
  readonly cron?: string;
  /** Interval in ms; slots are the multiples of it since the Unix epoch. */
  readonly every?: number;
  /** IANA zone the cron pattern is read in (default UTC). An `every` schedule is epoch-aligned and ignores it. */
  readonly timezone?: string;
  /** Each tick starts up to this many ms after its slot, to spread load; the slot (and run id) stays the same. */
  readonly jitterMs?: number;
  readonly overlap: 'skip' | 'queue-one';
  readonly catchup: 'once' | 'skip';
}

export interface SlotRange {
  /** The first `limit` slots of the range, oldest first. */
  readonly slots: number[];
  readonly truncated: boolean;
  /** How many slots the whole range holds (always exact; counted without listing them when truncated). */
  readonly total: number;
}

export interface StartupPlan {
  /** The slot to run now, if any. */
  readonly run?: number;
  /** Missed slots to record as skipped, oldest first, at most MAX_LISTED_SKIPS of them. */
  readonly skipped: number[];
  /** Missed slots beyond the listed ones: recorded as one skipped result with this count. */
  readonly skippedOverflow: number;
  /** The slot to arm the timer for. */
  readonly next: number;
}

export const MAX_LISTED_SKIPS = 1000;
const DAY_MS = 86_400_000;
const CRON_ALIAS = /^@(yearly|annually|monthly|weekly|daily|hourly|minutely|secondly|weekdays|weekends)$/i;

export function validateSchedule(spec: ScheduleSpec): void {
  const fail = (message: string): never => {
    throw new InvalidConfigError(`schedule '${spec.id}': ${message}`);
  };
  if (typeof spec.id !== 'string' || spec.id.length === 0) throw new InvalidConfigError('a schedule needs a non-empty id');
  if ((spec.cron === undefined) === (spec.every === undefined)) fail('give exactly one of cron or every');
  if (!(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0)) fail(`timeoutMs must be a positive number, got ${spec.timeoutMs}`);
  if (spec.jitterMs !== undefined && !(Number.isFinite(spec.jitterMs) && spec.jitterMs >= 0)) {
    fail(`jitterMs must be zero or a positive number, got ${spec.jitterMs}`);
  }
  if (spec.overlap !== 'skip' && spec.overlap !== 'queue-one') fail(`overlap must be 'skip' or 'queue-one', got '${String(spec.overlap)}'`);
  if (spec.catchup !== 'once' && spec.catchup !== 'skip') fail(`catchup must be 'once' or 'skip', got '${String(spec.catchup)}'`);
  if (spec.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: spec.timezone });
    } catch {
      fail(`unknown time zone '${spec.timezone}' (use an IANA name such as Europe/Berlin)`);
    }
  }
  if (spec.every !== undefined && !(Number.isSafeInteger(spec.every) && spec.every > 0)) {
    fail(`every must be a positive whole number of milliseconds, got ${spec.every}`);
  }
  if (spec.cron !== undefined) {
    const fields = spec.cron.trim().split(/\s+/).filter(Boolean).length;
    // cron-parser pads a short pattern with '*' (so '' and '0 9 *' parse); a typo must not become "every minute".
    if (!CRON_ALIAS.test(spec.cron.trim()) && fields !== 5 && fields !== 6) {
      fail(`invalid cron pattern '${spec.cron}': expected 5 fields (minute hour day month weekday) or 6 with seconds, got ${fields}`);
    }
    try {
      parseCron(spec, 0).next();
    } catch (error) {
      fail(`invalid cron pattern '${spec.cron}': ${describeError(error)}`);
    }
  }
}

/** The first slot strictly after `afterMs`. */
export function nextSlot(spec: ScheduleSpec, afterMs: number): number {
  if (spec.every !== undefined) return (Math.floor(afterMs / spec.every) + 1) * spec.every;
  return parseCron(spec, afterMs).next().getTime();
}

/** The latest slot at or before `atMs`, or undefined when the pattern has none (cron-parser gives up looking back). */
export function latestSlot(spec: ScheduleSpec, atMs: number): number | undefined {
  if (spec.every !== undefined) return Math.floor(atMs / spec.every) * spec.every;
  try {
    // prev() is strictly before currentDate; slots are whole seconds, so +1 ms makes it "at or before".
    return parseCron(spec, atMs + 1).prev().getTime();
  } catch {
    return undefined;
  }
}

/** Slots in (fromExclusive, toInclusive], the first `limit` listed. */
export function slotsBetween(spec: ScheduleSpec, fromExclusive: number, toInclusive: number, limit: number): SlotRange {
  if (toInclusive <= fromExclusive) return { slots: [], truncated: false, total: 0 };
  if (spec.every !== undefined) {
    const first = nextSlot(spec, fromExclusive);
    const total = first > toInclusive ? 0 : Math.floor((toInclusive - first) / spec.every) + 1;
    const listed = Math.max(0, Math.min(total, limit));
    return { slots: Array.from({ length: listed }, (_, i) => first + i * spec.every!), truncated: total > listed, total };
  }
  const slots: number[] = [];
  const iterator = parseCron(spec, fromExclusive);
  let last = fromExclusive;
  while (slots.length < limit) {
    const slot = iterator.next().getTime();
    if (slot > toInclusive) return { slots, truncated: false, total: slots.length };
    slots.push(slot);
    last = slot;
  }
  const rest = countCronSlots(spec, last, toInclusive);
  return { slots, truncated: rest > 0, total: slots.length + rest };
}

/**
 * What to do when a schedule is installed. Never ran: run the latest slot at or before now, so posture is known right
 * after start. Down for a while: run the latest missed slot once (catchup 'once') and record every other missed slot
 * as skipped, never one run per missed tick; catchup 'skip' runs none and records them all.
 */
export function planStartup(spec: ScheduleSpec, lastSlot: number | undefined, now: number): StartupPlan {
  if (lastSlot === undefined) {
    const run = latestSlot(spec, now);
    return { ...(run !== undefined ? { run } : {}), skipped: [], skippedOverflow: 0, next: nextSlot(spec, now) };
  }
  // A last slot in the future means the clock went back; never hand out that slot (or any before it) a second time.
  const next = nextSlot(spec, Math.max(now, lastSlot));
  const latest = latestSlot(spec, now);
  if (latest === undefined || latest <= lastSlot) return { skipped: [], skippedOverflow: 0, next };
  const runLatest = spec.catchup === 'once';
  const before = slotsBetween(spec, lastSlot, runLatest ? latest - 1 : latest, MAX_LISTED_SKIPS);
  return {
    ...(runLatest ? { run: latest } : {}),
    skipped: before.slots,
    skippedOverflow: before.total - before.slots.length,
    next,
  };
}

function parseCron(spec: ScheduleSpec, currentDate: number): CronExpression {
  return CronExpressionParser.parse(spec.cron!, { currentDate, tz: spec.timezone ?? 'UTC' });
}

/**
 * Counts cron slots in (fromExclusive, toInclusive] without visiting each one: cron-parser costs ~50-200 µs per slot,
 * and a per-minute schedule that was down for a month has 43 200. A whole local day with no DST change holds exactly
 * |hours|·|minutes|·|seconds| slots if its date matches, so those days are counted by arithmetic, found with a "first
 * slot of the day" pattern; partial days at either end and DST days are walked slot by slot.
 */
function countCronSlots(spec: ScheduleSpec, fromExclusive: number, toInclusive: number): number {
  const tz = spec.timezone ?? 'UTC';
  const full = parseCron(spec, fromExclusive);
  const { second, minute, hour } = full.fields;
  const slotsPerDay = second.values.length * minute.values.length * hour.values.length;
  const firstOfDay = CronExpression.fieldsToExpression(
    CronFieldCollection.from(full.fields, { second: first(second.values), minute: first(minute.values), hour: first(hour.values) }),
    { currentDate: fromExclusive, tz },
  );
  const midnights = CronExpressionParser.parse('0 0 0 * * *', { currentDate: fromExclusive, tz });
  let count = 0;
  let dayStart = fromExclusive + 1;
  let startsAtMidnight = false;
  let nextDayHit = firstOfDay.next().getTime();
  while (dayStart <= toInclusive) {
    const dayEnd = midnights.next().getTime();
    const segmentEnd = Math.min(dayEnd - 1, toInclusive);
    const wholeRegularDay = startsAtMidnight && segmentEnd === dayEnd - 1 && dayEnd - dayStart === DAY_MS;
    if (wholeRegularDay) {
      while (nextDayHit < dayStart) nextDayHit = firstOfDay.next().getTime();
      if (nextDayHit < dayEnd) count += slotsPerDay;
    } else {
      count += countByWalking(spec, dayStart - 1, segmentEnd);
    }
    dayStart = dayEnd;
    startsAtMidnight = true;
  }
  return count;
}

function countByWalking(spec: ScheduleSpec, fromExclusive: number, toInclusive: number): number {
  const iterator = parseCron(spec, fromExclusive);
  let count = 0;
  while (iterator.next().getTime() <= toInclusive) count += 1;
  return count;
}

/** The earliest value of a time field, as a one-value override (seconds, minutes and hours are always numeric). */
function first<T extends number>(values: readonly (number | string)[]): T[] {
  return [values[0] as T];
}
