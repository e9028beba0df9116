import { describe, expect, it } from 'vitest';
import { MAX_LISTED_SKIPS, latestSlot, nextSlot, planStartup, slotsBetween, validateSchedule, type ScheduleSpec } from '../../jobs/schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2030, 0, 1);

function spec(overrides: Partial<ScheduleSpec>): ScheduleSpec {
  return { id: 'nightly', checkId: 'secrets.history', targetId: 'api', options: {}, timeoutMs: 60_000, overlap: 'skip', catchup: 'once', ...overrides };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Each slot after `from`, one nextSlot at a time: the reference the bulk functions are held to. */
function walk(s: ScheduleSpec, from: number, count: number): number[] {
  const slots: number[] = [];
  for (let at = from; slots.length < count; ) slots.push((at = nextSlot(s, at)));
  return slots;
}

describe('nextSlot and latestSlot', () => {
  it("reads a cron pattern in its time zone across DST: '0 9 * * *' in Europe/Berlin stays at 09:00 local", () => {
    const berlin9 = spec({ cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    expect(walk(berlin9, Date.UTC(2025, 2, 28, 12), 4).map(iso)).toEqual([
      '2025-03-29T08:00:00.000Z', // CET, UTC+1
      '2025-03-30T07:00:00.000Z', // CEST from 02:00 that morning, UTC+2
      '2025-03-31T07:00:00.000Z',
      '2025-04-01T07:00:00.000Z',
    ]);
    expect(walk(berlin9, Date.UTC(2025, 9, 25, 12), 2).map(iso)).toEqual(['2025-10-26T08:00:00.000Z', '2025-10-27T08:00:00.000Z']);
  });

  it('runs a local time that DST skips or repeats once: 02:30 Berlin on both change days', () => {
    const berlin230 = spec({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    expect(walk(berlin230, Date.UTC(2025, 2, 29, 12), 2).map(iso)).toEqual(['2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z']);
    expect(walk(berlin230, Date.UTC(2025, 9, 25, 12), 2).map(iso)).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
  });

  it('reads cron in UTC by default and accepts a leading seconds field and @aliases', () => {
    expect(iso(nextSlot(spec({ cron: '0 9 * * *' }), T0))).toBe('2030-01-01T09:00:00.000Z');
    expect(walk(spec({ cron: '*/15 * * * * *' }), T0, 3).map((s) => s - T0)).toEqual([15_000, 30_000, 45_000]);
    expect(nextSlot(spec({ cron: '@hourly' }), T0 + 1)).toBe(T0 + HOUR);
  });

  it('is strictly after for nextSlot and at-or-before for latestSlot', () => {
    const hourly = spec({ cron: '0 * * * *' });
    expect([nextSlot(hourly, T0) - T0, nextSlot(hourly, T0 - 1) - T0]).toEqual([HOUR, 0]);
    expect([latestSlot(hourly, T0), latestSlot(hourly, T0 - 1)]).toEqual([T0, T0 - HOUR]);
    const every = spec({ every: 15 * MINUTE });
    expect([nextSlot(every, T0) - T0, nextSlot(every, T0 - 1) - T0, latestSlot(every, T0 + 15 * MINUTE - 1)]).toEqual([15 * MINUTE, 0, T0]);
  });

  it('aligns every-slots to multiples of the interval since the epoch, wherever it is asked from', () => {
    const sevenMinutes = spec({ every: 7 * MINUTE });
    for (const from of [T0, T0 + 1, T0 + 123_456, Date.UTC(2031, 5, 7, 13, 2, 11)]) {
      const slots = walk(sevenMinutes, from, 3);
      expect(slots.every((slot) => slot % (7 * MINUTE) === 0)).toBe(true);
      expect([slots[0]! > from, slots[0]! - from <= 7 * MINUTE, slots[1]! - slots[0]!]).toEqual([true, true, 7 * MINUTE]);
    }
  });
});

describe('slotsBetween', () => {
  it('lists (from, to] for an every schedule and reports truncation with the exact total', () => {
    const quarter = spec({ every: 15 * MINUTE });
    expect(slotsBetween(quarter, T0, T0 + HOUR, 10)).toEqual({ slots: [1, 2, 3, 4].map((n) => T0 + n * 15 * MINUTE), truncated: false, total: 4 });
    expect(slotsBetween(quarter, T0, T0 + HOUR, 2)).toEqual({ slots: [T0 + 15 * MINUTE, T0 + 30 * MINUTE], truncated: true, total: 4 });
    expect(slotsBetween(quarter, T0 + 1, T0 + 15 * MINUTE - 1, 10)).toEqual({ slots: [], truncated: false, total: 0 });
    expect(slotsBetween(quarter, T0, T0, 10)).toEqual({ slots: [], truncated: false, total: 0 });
  });

  it('lists the first slots of a cron range and counts the rest without listing them', () => {
    const fiveMinutes = spec({ cron: '*/5 * * * *' });
    const day = slotsBetween(fiveMinutes, T0, T0 + DAY, 10);
    expect([day.slots.length, day.slots[0]! - T0, day.slots[9]! - T0, day.truncated, day.total]).toEqual([10, 5 * MINUTE, 50 * MINUTE, true, 288]);
    // Berlin's spring-change day is 23 hours long, so it holds 12 five-minute slots fewer; 60 days of real time
    // around it still hold 60 * 288, because every UTC five-minute mark is a Berlin one.
    const berlin = spec({ cron: '*/5 * * * *', timezone: 'Europe/Berlin' });
    expect(slotsBetween(berlin, Date.UTC(2025, 2, 29, 23) - 1, Date.UTC(2025, 2, 30, 22) - 1, 10).total).toBe(288 - 12);
    expect(slotsBetween(berlin, Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 30), 100).total).toBe(60 * 288);
    expect(slotsBetween(fiveMinutes, T0, T0 + 365 * DAY, 1_000).total).toBe(365 * 288);
  });

  // The counter skips whole days by arithmetic; walking every slot is the reference it must agree with, including
  // partial first/last days, DST days (Berlin, New York, Lord Howe's 30-minute shift), L, nth-weekday and the
  // day-of-month OR day-of-week rule.
  const cases: [string, string, number, number][] = [
    ['*/30 * * * *', 'Europe/Berlin', Date.UTC(2025, 2, 27, 13, 7), Date.UTC(2025, 3, 2, 9, 1)],
    ['*/30 * * * *', 'Europe/Berlin', Date.UTC(2025, 9, 23, 23, 59), Date.UTC(2025, 9, 29, 0, 30)],
    ['30 2 * * *', 'Europe/Berlin', Date.UTC(2025, 2, 20), Date.UTC(2025, 3, 5)],
    ['0 9 * * 1-5', 'America/New_York', Date.UTC(2025, 2, 1, 14), Date.UTC(2025, 3, 15)],
    ['15 */2 1,15 * MON', 'UTC', Date.UTC(2025, 0, 3), Date.UTC(2025, 2, 20, 5)],
    ['0 0 L * *', 'Asia/Kolkata', Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31)],
    ['0 12 * * 1#2', 'UTC', Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31)],
    ['*/20 * * * *', 'Australia/Lord_Howe', Date.UTC(2025, 3, 3), Date.UTC(2025, 3, 8)],
    ['0 30 */6 * * *', 'America/New_York', Date.UTC(2025, 10, 1, 3, 30), Date.UTC(2025, 10, 4, 12)],
  ];
  for (const [cron, timezone, from, to] of cases) {
    it(`counts '${cron}' in ${timezone} exactly as walking it does`, () => {
      const s = spec({ cron, timezone });
      const walked = slotsBetween(s, from, to, 100_000);
      const counted = slotsBetween(s, from, to, 3);
      expect(walked.truncated).toBe(false);
      expect(walked.total).toBeGreaterThan(3);
      expect(counted).toEqual({ slots: walked.slots.slice(0, 3), truncated: true, total: walked.total });
    });
  }
});

describe('planStartup', () => {
  const fiveMinutes = spec({ every: 5 * MINUTE });

  it('runs a schedule that never ran once, for the latest slot at or before now', () => {
    expect(planStartup(fiveMinutes, undefined, T0 + 7 * MINUTE)).toEqual({ run: T0 + 5 * MINUTE, skipped: [], skippedOverflow: 0, next: T0 + 10 * MINUTE });
    const daily = spec({ cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    expect(planStartup(daily, undefined, Date.UTC(2030, 0, 2, 7))).toEqual({
      run: Date.UTC(2030, 0, 1, 8),
      skipped: [],
      skippedOverflow: 0,
      next: Date.UTC(2030, 0, 2, 8),
    });
    expect(planStartup(daily, undefined, Date.UTC(2030, 0, 2, 8)).run).toBe(Date.UTC(2030, 0, 2, 8));
  });

  it('runs nothing when the ledger is up to date, and never repeats a slot when the clock went back', () => {
    expect(planStartup(fiveMinutes, T0 + 5 * MINUTE, T0 + 7 * MINUTE)).toEqual({ skipped: [], skippedOverflow: 0, next: T0 + 10 * MINUTE });
    expect(planStartup(fiveMinutes, T0 + 60 * MINUTE, T0 + 7 * MINUTE)).toEqual({ skipped: [], skippedOverflow: 0, next: T0 + 65 * MINUTE });
  });

  it('after 5 missed ticks runs the latest once and lists the other 4 as skipped', () => {
    expect(planStartup(fiveMinutes, T0, T0 + 25 * MINUTE + 30_000)).toEqual({
      run: T0 + 25 * MINUTE,
      skipped: [5, 10, 15, 20].map((m) => T0 + m * MINUTE),
      skippedOverflow: 0,
      next: T0 + 30 * MINUTE,
    });
  });

  it("with catchup 'skip' runs none of the missed ticks and lists all of them as skipped", () => {
    expect(planStartup({ ...fiveMinutes, catchup: 'skip' }, T0, T0 + 25 * MINUTE + 30_000)).toEqual({
      skipped: [5, 10, 15, 20, 25].map((m) => T0 + m * MINUTE),
      skippedOverflow: 0,
      next: T0 + 30 * MINUTE,
    });
  });

  it(`lists at most ${MAX_LISTED_SKIPS} skipped slots and counts the rest as overflow`, () => {
    const plan = planStartup(fiveMinutes, T0, T0 + 2_500 * 5 * MINUTE + 1);
    expect([plan.run, plan.skipped.length, plan.skipped[0], plan.skipped.at(-1), plan.skippedOverflow]).toEqual([
      T0 + 2_500 * 5 * MINUTE,
      MAX_LISTED_SKIPS,
      T0 + 5 * MINUTE,
      T0 + MAX_LISTED_SKIPS * 5 * MINUTE,
      2_500 - 1 - MAX_LISTED_SKIPS,
    ]);
    // A per-minute cron down for three days in Berlin: 4 320 missed ticks, 1 run, 1 000 listed, 3 319 counted.
    const minutely = spec({ cron: '* * * * *', timezone: 'Europe/Berlin' });
    const cronPlan = planStartup(minutely, T0, T0 + 3 * DAY + 30_000);
    expect([cronPlan.run, cronPlan.skipped.length, cronPlan.skippedOverflow, cronPlan.next]).toEqual([T0 + 3 * DAY, 1_000, 3_319, T0 + 3 * DAY + MINUTE]);
  });
});

describe('validateSchedule', () => {
  it('accepts a cron schedule with a zone and an every schedule', () => {
    expect(() => validateSchedule(spec({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', jitterMs: 5_000 }))).not.toThrow();
    expect(() => validateSchedule(spec({ cron: '*/10 * * * * *' }))).not.toThrow();
    expect(() => validateSchedule(spec({ every: 15 * MINUTE }))).not.toThrow();
  });

  const bad: [string, Partial<ScheduleSpec>, RegExp][] = [
    ['neither cron nor every', {}, /schedule 'nightly': give exactly one of cron or every/],
    ['both cron and every', { cron: '0 9 * * *', every: HOUR }, /give exactly one of cron or every/],
    ['an out-of-range cron field', { cron: '61 * * * *' }, /invalid cron pattern '61 \* \* \* \*': .*59/],
    ['a cron word that is no alias', { cron: 'every monday' }, /invalid cron pattern 'every monday'/],
    ['too few cron fields', { cron: '0 9 *' }, /expected 5 fields .* got 3/],
    ['an empty cron pattern', { cron: '' }, /expected 5 fields .* got 0/],
    ['an impossible date', { cron: '0 0 30 2 *' }, /invalid cron pattern '0 0 30 2 \*'/],
    ['an unknown time zone', { cron: '0 9 * * *', timezone: 'Mars/Olympus_Mons' }, /unknown time zone 'Mars\/Olympus_Mons'/],
    ['a zero interval', { every: 0 }, /every must be a positive whole number of milliseconds, got 0/],
    ['a fractional interval', { every: 1.5 }, /every must be a positive whole number/],
    ['a negative jitter', { every: HOUR, jitterMs: -1 }, /jitterMs must be zero or a positive number/],
    ['no timeout', { every: HOUR, timeoutMs: 0 }, /timeoutMs must be a positive number/],
    ['an unknown overlap policy', { every: HOUR, overlap: 'replace' as never }, /overlap must be 'skip' or 'queue-one'/],
  ];
  for (const [what, overrides, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => validateSchedule(spec(overrides))).toThrow(message);
    });
  }
});
