import { afterEach, describe, expect, it } from 'vitest';
import type { ExecuteRun, RunBackend } from '../../jobs/backend.js';
import type { ScheduleSpec } from '../../jobs/schedule.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';
import { scheduledRunId, type RunResult } from '../../src/runs/run-result.js';
import { FakeClock } from './fake-clock.js';
import { FakeExecutor, cliRequest } from './fake-execute.js';

/**
 * The RunBackend contract as tests (STYLE lesson 9): every backend's test file calls runBackendConformance with a
 * factory, and the same expectations hold for all of them. Time is a FakeClock the backend must take as its
 * SchedulerClock; runs are a FakeExecutor that takes time on that clock.
 */
export interface ConformanceDeps {
  readonly clock: FakeClock;
  readonly execute: ExecuteRun;
  readonly lastSlot: (scheduleId: string) => number | undefined;
  readonly log: Logger;
}

export type MakeBackend = (deps: ConformanceDeps) => RunBackend | Promise<RunBackend>;

const MINUTE = 60_000;
/** A round instant (on every grid used here), so slots are easy to read: T0 + n minutes. */
export const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);

export function everyMinute(overrides: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return { id: 'ports-hourly', checkId: 'ports.unexpected-open', targetId: 'loopback', options: {}, timeoutMs: 600_000, every: MINUTE, overlap: 'skip', catchup: 'once', ...overrides };
}

export interface Harness {
  readonly clock: FakeClock;
  readonly work: FakeExecutor;
  readonly backend: RunBackend;
  readonly results: RunResult[];
  /** What the ledger would say: tests set it before `start` to simulate an earlier life of the daemon. */
  readonly lastSlots: Map<string, number>;
  /** Results of one schedule, as [slot offset in minutes from T0, outcome, skip reason?]. */
  ticks(scheduleId?: string): [number, string, string?][];
  /** Closes, moving the fake clock on until close() resolves. */
  closeAndWait(graceMs?: number): Promise<void>;
}

export function runBackendConformance(name: string, makeBackend: MakeBackend): void {
  describe(`RunBackend conformance: ${name}`, () => {
    const open: Harness[] = [];

    async function start(options: { now?: number; lastSlots?: Record<string, number> } = {}): Promise<Harness> {
      const clock = new FakeClock(options.now ?? T0 + 10_000);
      const work = new FakeExecutor(clock);
      const lastSlots = new Map(Object.entries(options.lastSlots ?? {}));
      const backend = await makeBackend({ clock, execute: work.execute, lastSlot: (id) => lastSlots.get(id), log: silentLogger });
      const results: RunResult[] = [];
      backend.onResult((result) => {
        results.push(result);
      });
      let closed = false;
      const harness: Harness = {
        clock,
        work,
        backend,
        results,
        lastSlots,
        ticks: (scheduleId = everyMinute().id) =>
          results
            .filter((r) => r.scheduleId === scheduleId)
            .map((r) => [(r.slot! - T0) / MINUTE, r.outcome, ...(r.skipReason !== undefined ? [r.skipReason] : [])] as [number, string, string?]),
        async closeAndWait(graceMs = 0) {
          const closing = backend.close({ graceMs }).then(() => (closed = true));
          for (let i = 0; i < 100 && !closed; i += 1) await clock.advance(1_000);
          await closing;
        },
      };
      open.push(harness);
      return harness;
    }

    afterEach(async () => {
      for (const harness of open.splice(0)) await harness.closeAndWait();
    });

    it('delivers the result of an enqueued run once it finishes', async () => {
      const h = await start();
      await h.backend.enqueue(cliRequest('cli-1'));
      await h.clock.advance(999);
      expect(h.results).toEqual([]);
      await h.clock.advance(1);
      expect(h.results.map((r) => [r.runId, r.trigger, r.outcome, r.finishedAt - r.startedAt])).toEqual([['cli-1', 'cli', 'ok', 1_000]]);
    });

    it('fires every and cron schedules at their slots, with run ids derived from (schedule, slot)', async () => {
      const cron = everyMinute({ id: 'dns-cron', every: undefined, cron: '*/2 * * * *', timezone: 'Europe/Berlin' });
      const h = await start({ lastSlots: { 'ports-hourly': T0, 'dns-cron': T0 } });
      await h.backend.schedule([everyMinute(), cron]);
      await h.clock.advanceTo(T0 + 5 * MINUTE + 30_000);
      // Two schedules due at the same instant may start in either order; the contract is about slots, not ties.
      const started = h.work.calls
        .map((c): [number, string] => [(c.startedAt - T0) / MINUTE, c.request.scheduleId!])
        .sort(([ta, a], [tb, b]) => ta - tb || a.localeCompare(b));
      expect(started).toEqual([
        [1, 'ports-hourly'],
        [2, 'dns-cron'],
        [2, 'ports-hourly'],
        [3, 'ports-hourly'],
        [4, 'dns-cron'],
        [4, 'ports-hourly'],
        [5, 'ports-hourly'],
      ]);
      for (const { request } of h.work.calls) {
        expect(request).toMatchObject({ runId: scheduledRunId(request.scheduleId!, request.slot!), trigger: 'schedule', checkId: 'ports.unexpected-open' });
      }
      expect(h.ticks()).toEqual([[1, 'ok'], [2, 'ok'], [3, 'ok'], [4, 'ok'], [5, 'ok']]);
    });

    it('keeps the grid however long runs take: the next slot comes from the slot, not from when a run ended', async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0 } });
      h.work.durationFor = () => 59_000;
      await h.backend.schedule([everyMinute()]);
      await h.clock.advanceTo(T0 + 10 * MINUTE);
      expect(h.work.calls.map((c) => c.startedAt - T0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => n * MINUTE));
    });

    it("records a tick that comes while the previous run still goes as skipped ('overlap: skip')", async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0 } });
      h.work.durationFor = () => 150_000;
      await h.backend.schedule([everyMinute({ overlap: 'skip' })]);
      await h.clock.advanceTo(T0 + 4 * MINUTE + 1);
      expect(h.ticks()).toEqual([[2, 'skipped', 'overlap'], [3, 'skipped', 'overlap'], [1, 'ok']]);
      expect(h.work.slotsStarted('ports-hourly').map((s) => (s - T0) / MINUTE)).toEqual([1, 4]);
    });

    it("keeps one pending tick and runs it when the current run ends ('overlap: queue-one')", async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0 } });
      h.work.durationFor = () => 130_000;
      await h.backend.schedule([everyMinute({ overlap: 'queue-one' })]);
      await h.clock.advanceTo(T0 + 400_000);
      // Slot 1 runs 60-190 s; tick 2 waits and is displaced by tick 3 (the newest tick wins), which starts at 190 s
      // when 1 ends; tick 4 waits and is displaced by 5, which starts at 320 s.
      expect(h.work.calls.map((c) => [(c.request.slot! - T0) / MINUTE, (c.startedAt - T0) / 1_000])).toEqual([[1, 60], [3, 190], [5, 320]]);
      expect(h.ticks()).toEqual([[2, 'skipped', 'overlap'], [1, 'ok'], [4, 'skipped', 'overlap'], [3, 'ok']]);
    });

    it('lets a run finish within the grace period on close, and reports it as it ended', async () => {
      const h = await start();
      h.work.durationFor = () => 3_000;
      await h.backend.enqueue(cliRequest('cli-short'));
      await h.clock.advance(1);
      await h.closeAndWait(5_000);
      expect(h.results.map((r) => [r.runId, r.outcome, r.finishedAt - T0 - 10_000])).toEqual([['cli-short', 'ok', 3_000]]);
    });

    it("aborts a long run after the grace period on close; it reports 'aborted' before close resolves", async () => {
      const h = await start();
      h.work.durationFor = () => 3_600_000;
      await h.backend.enqueue(cliRequest('cli-long'));
      await h.clock.advance(1_000);
      let closed = false;
      const closing = h.backend.close({ graceMs: 5_000 }).then(() => (closed = true));
      await h.clock.advance(4_999);
      expect([closed, h.results.length, h.work.calls[0]!.signal.aborted]).toEqual([false, 0, false]);
      await h.clock.advance(1);
      await closing;
      expect(h.work.calls[0]!.signal.aborted).toBe(true);
      expect(h.results.map((r) => [r.runId, r.outcome])).toEqual([['cli-long', 'aborted']]);
      await expect(h.backend.enqueue(cliRequest('too-late'))).rejects.toThrow(/closed/);
    });

    it('catches up once after downtime: the latest missed slot runs, every other missed slot is recorded as skipped', async () => {
      const h = await start({ now: T0 + 5 * MINUTE + 10_000, lastSlots: { 'ports-hourly': T0 } });
      await h.backend.schedule([everyMinute()]);
      await h.clock.advance(30_000);
      expect(h.work.calls.map((c) => [(c.request.slot! - T0) / MINUTE, c.request.trigger])).toEqual([[5, 'catchup']]);
      expect(h.ticks()).toEqual([[1, 'skipped', 'missed'], [2, 'skipped', 'missed'], [3, 'skipped', 'missed'], [4, 'skipped', 'missed'], [5, 'ok']]);
      expect(h.results[0]).toEqual({
        runId: scheduledRunId('ports-hourly', T0 + MINUTE),
        checkId: 'ports.unexpected-open',
        targetId: 'loopback',
        trigger: 'schedule',
        scheduleId: 'ports-hourly',
        slot: T0 + MINUTE,
        outcome: 'skipped',
        skipReason: 'missed',
        startedAt: T0 + 5 * MINUTE + 10_000,
        finishedAt: T0 + 5 * MINUTE + 10_000,
        coverage: { ok: [], failed: [] },
        findings: [],
        cursorWrites: {},
      });
      await h.clock.advanceTo(T0 + 6 * MINUTE + 30_000);
      expect(h.ticks().at(-1)).toEqual([6, 'ok']);
    });

    it("records every missed slot as skipped and runs none with 'catchup: skip'", async () => {
      const h = await start({ now: T0 + 5 * MINUTE + 10_000, lastSlots: { 'ports-hourly': T0 } });
      await h.backend.schedule([everyMinute({ catchup: 'skip' })]);
      await h.clock.advance(30_000);
      expect(h.work.calls).toEqual([]);
      expect(h.ticks()).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'skipped', 'missed']));
    });

    it('runs a schedule that never ran once at start, for the latest slot at or before now', async () => {
      const h = await start({ now: T0 + 10_000 });
      await h.backend.schedule([everyMinute()]);
      await h.clock.advance(5_000);
      expect(h.work.calls.map((c) => [c.request.slot, c.request.trigger, c.startedAt])).toEqual([[T0, 'catchup', T0 + 10_000]]);
      expect(h.ticks()).toEqual([[0, 'ok']]);
    });

    it('lists at most 1000 missed slots and accounts for the rest in one skipped result with a count', async () => {
      const lastSlot = T0 - 2_000 * MINUTE;
      const h = await start({ lastSlots: { 'ports-hourly': lastSlot } });
      await h.backend.schedule([everyMinute()]);
      await h.clock.advance(5_000);
      const skipped = h.results.filter((r) => r.outcome === 'skipped');
      expect(skipped).toHaveLength(1_001);
      expect(skipped[0]!.slot).toBe(lastSlot + MINUTE);
      expect(skipped.at(-1)).toMatchObject({ slot: lastSlot + 1_001 * MINUTE, skipCount: 999, runId: scheduledRunId('ports-hourly', lastSlot + 1_001 * MINUTE) });
      const accounted = skipped.reduce((sum, r) => sum + (r.skipCount ?? 1), 0) + h.work.calls.length;
      expect([accounted, h.work.calls[0]!.request.slot]).toEqual([2_000, T0]);
    });

    for (const overlap of ['skip', 'queue-one'] as const) {
      it(`accounts for every tick exactly once, through downtime, overlaps and shutdown (overlap: ${overlap})`, async () => {
        const h = await start({ now: T0 + 3 * MINUTE + 10_000, lastSlots: { 'ports-hourly': T0 } });
        let n = 0;
        h.work.durationFor = () => [20_000, 95_000, 130_000][n++ % 3]!;
        await h.backend.schedule([everyMinute({ overlap })]);
        await h.clock.advanceTo(T0 + 30 * MINUTE + 30_000);
        await h.closeAndWait(10_000);
        const ids = h.results.map((r) => r.runId);
        expect(new Set(ids).size).toBe(ids.length);
        const slots = h.results.map((r) => (r.slot! - T0) / MINUTE).sort((a, b) => a - b);
        expect(slots).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        for (const r of h.results) expect(r.runId).toBe(scheduledRunId('ports-hourly', r.slot!));
        const outcomes = new Set(h.results.map((r) => `${r.outcome}:${r.skipReason ?? ''}`));
        expect(outcomes).toContain('skipped:overlap');
        expect(outcomes).toContain('skipped:missed');
      });
    }

    it('delivers results to handlers one at a time, in order; a handler that throws does not stop the scheduler', async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0 } });
      const seen: string[] = [];
      let active = 0;
      let mostActive = 0;
      h.backend.onResult(() => {
        throw new Error('ledger is having a bad day');
      });
      h.backend.onResult(async (result) => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(result.runId);
        active -= 1;
      });
      h.work.durationFor = () => 1_000;
      await h.backend.schedule([everyMinute()]);
      await h.backend.enqueue(cliRequest('cli-a'));
      await h.backend.enqueue(cliRequest('cli-b'));
      await h.clock.advanceTo(T0 + 3 * MINUTE + 5_000);
      expect(mostActive).toBe(1);
      expect(seen).toEqual(h.results.map((r) => r.runId));
      expect(seen).toEqual(['cli-a', 'cli-b', ...[1, 2, 3].map((n) => scheduledRunId('ports-hourly', T0 + n * MINUTE))]);
    });

    it('replaces schedules by id: a changed interval moves to its new grid, a removed schedule stops ticking', async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0, 'dns-cron': T0 } });
      await h.backend.schedule([everyMinute(), everyMinute({ id: 'dns-cron' })]);
      await h.clock.advanceTo(T0 + 2 * MINUTE + 30_000);
      await h.backend.schedule([everyMinute({ every: 5 * MINUTE })]);
      await h.clock.advanceTo(T0 + 11 * MINUTE);
      expect(h.work.slotsStarted('ports-hourly').map((s) => (s - T0) / MINUTE)).toEqual([1, 2, 5, 10]);
      expect(h.work.slotsStarted('dns-cron').map((s) => (s - T0) / MINUTE)).toEqual([1, 2]);
    });

    it('rejects an invalid schedule with a clear error and installs none of the batch', async () => {
      const h = await start({ lastSlots: { 'ports-hourly': T0 } });
      await expect(h.backend.schedule([everyMinute(), everyMinute({ id: 'bad', every: undefined, cron: '61 * * * *' })])).rejects.toThrow(
        /schedule 'bad': invalid cron pattern '61 \* \* \* \*'/,
      );
      await h.clock.advanceTo(T0 + 3 * MINUTE);
      expect(h.results).toEqual([]);
    });
  });
}
