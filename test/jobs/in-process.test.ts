import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type ExecuteRun, type RunBackend } from '../../jobs/backend.js';
import { createInProcessBackend } from '../../jobs/in-process/backend.js';
import { MAX_TIMER_MS } from '../../jobs/in-process/long-timer.js';
import { ABORT_SETTLE_MS } from '../../jobs/in-process/run-pool.js';
import type { ScheduleSpec } from '../../jobs/schedule.js';
import { silentLogger } from '../../src/log.js';
import { scheduledRunId, type RunResult } from '../../src/runs/run-result.js';
import { openStore } from '../../src/store/db.js';
import { lastSlot, listRuns } from '../../src/store/queries/runs.js';
import { recordRun } from '../../src/store/record-run.js';
import { T0, everyMinute, runBackendConformance } from './backend.conformance.js';
import { FakeClock } from './fake-clock.js';
import { FakeExecutor, cliRequest } from './fake-execute.js';

runBackendConformance('in-process', (deps) => createInProcessBackend({ ...deps, random: () => 0 }));

const MINUTE = 60_000;

describe('in-process backend', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function make(options: { now?: number; lastSlots?: Record<string, number>; maxConcurrentRuns?: number; random?: () => number; wrapExecute?: (execute: ExecuteRun) => ExecuteRun } = {}) {
    const clock = new FakeClock(options.now ?? T0 + 10_000);
    const work = new FakeExecutor(clock);
    const backend = createInProcessBackend({
      execute: options.wrapExecute ? options.wrapExecute(work.execute) : work.execute,
      clock,
      lastSlot: (id) => options.lastSlots?.[id],
      log: silentLogger,
      random: options.random ?? (() => 0),
      ...(options.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
    });
    const results: RunResult[] = [];
    backend.onResult((result) => {
      results.push(result);
    });
    cleanups.push(() => closeWithFakeTime(backend, clock));
    return { clock, work, backend, results };
  }

  it('runs at most maxConcurrentRuns at once; further requests wait and start first in, first out', async () => {
    const { clock, work, backend, results } = make({ maxConcurrentRuns: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await backend.enqueue(cliRequest(id));
    await clock.advance(0);
    expect(work.calls.map((c) => c.request.runId)).toEqual(['a', 'b']);
    await clock.advance(1_000);
    expect(work.calls.map((c) => c.request.runId)).toEqual(['a', 'b', 'c', 'd']);
    await clock.advance(2_000);
    expect([work.maxRunning, results.map((r) => r.runId)]).toEqual([2, ['a', 'b', 'c', 'd', 'e']]);
  });

  it('does not start a run id twice while it waits or runs', async () => {
    const { clock, work, backend, results } = make({ maxConcurrentRuns: 1 });
    await backend.enqueue(cliRequest('same'));
    await backend.enqueue(cliRequest('queued'));
    await backend.enqueue(cliRequest('queued'));
    await clock.advance(0);
    await backend.enqueue(cliRequest('same'));
    await clock.advance(5_000);
    expect([work.calls.map((c) => c.request.runId), results.map((r) => r.runId)]).toEqual([['same', 'queued'], ['same', 'queued']]);
  });

  it('starts each tick a random [0, jitterMs] after its slot; the slot and run id stay those of the slot', async () => {
    const draws = [0.5, 0.999_999, 0];
    const { clock, work, backend } = make({ lastSlots: { 'ports-hourly': T0 }, random: () => draws.shift() ?? 0 });
    await backend.schedule([everyMinute({ jitterMs: 10_000 })]);
    await clock.advanceTo(T0 + 3 * MINUTE + 30_000);
    expect(work.calls.map((c) => [(c.request.slot! - T0) / MINUTE, c.startedAt - c.request.slot!, c.request.runId])).toEqual([
      [1, 5_000, scheduledRunId('ports-hourly', T0 + MINUTE)],
      [2, 10_000, scheduledRunId('ports-hourly', T0 + 2 * MINUTE)],
      [3, 0, scheduledRunId('ports-hourly', T0 + 3 * MINUTE)],
    ]);
  });

  it('sleeps delays longer than a 32-bit timer in chunks and fires a yearly cron on its slot', async () => {
    const yearly = everyMinute({ every: undefined, cron: '0 0 1 1 *' });
    const { clock, work, backend } = make({ lastSlots: { 'ports-hourly': T0 } });
    await backend.schedule([yearly]);
    const nextYear = Date.UTC(2031, 0, 1);
    await clock.advanceTo(nextYear - 1);
    expect(work.calls).toEqual([]);
    await clock.advanceTo(nextYear + 1_000);
    expect(work.calls.map((c) => [c.request.slot, c.startedAt])).toEqual([[nextYear, nextYear]]);
    expect(Math.max(...clock.requestedDelays)).toBe(MAX_TIMER_MS);
  });

  it('treats slots that passed while its timer was late (a machine asleep) as missed: the latest runs once', async () => {
    const { clock, work, backend, results } = make({ lastSlots: { 'ports-hourly': T0 } });
    await backend.schedule([everyMinute()]);
    await clock.advanceTo(T0 + MINUTE + 30_000);
    clock.jumpTo(T0 + 10 * MINUTE + 10_000); // the slot-2 timer is now 8 minutes late
    await clock.advanceTo(T0 + 11 * MINUTE + 30_000);
    expect(work.calls.map((c) => [(c.request.slot! - T0) / MINUTE, c.request.trigger])).toEqual([[1, 'schedule'], [10, 'schedule'], [11, 'schedule']]);
    const missed = results.filter((r) => r.skipReason === 'missed').map((r) => (r.slot! - T0) / MINUTE);
    expect(missed).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("reports a run that ignores its abort signal as 'aborted' after the settle time, and drops its late result", async () => {
    const { clock, work, backend, results } = make();
    work.ignoreAbort = true;
    work.durationFor = () => 60_000;
    await backend.enqueue(cliRequest('stubborn'));
    let closed = false;
    const closing = backend.close({ graceMs: 1_000 }).then(() => (closed = true));
    await clock.advance(1_000 + ABORT_SETTLE_MS - 1);
    expect([closed, results.length]).toEqual([false, 0]);
    await clock.advance(1);
    await closing;
    await clock.advance(60_000);
    expect(results.map((r) => [r.runId, r.outcome, r.error])).toEqual([['stubborn', 'aborted', 'run did not stop after it was aborted']]);
  });

  it("reports requests that never started as 'aborted' at shutdown, and a rejecting execute as 'failed'", async () => {
    let calls = 0;
    const { clock, work, backend, results } = make({
      maxConcurrentRuns: 1,
      wrapExecute: (execute) => (request, signal) => (calls++ === 0 ? Promise.reject(new Error('runner exploded')) : execute(request, signal)),
    });
    work.durationFor = () => 600_000;
    await backend.enqueue(cliRequest('explodes'));
    await clock.advance(0);
    expect(results.map((r) => [r.runId, r.outcome, r.error])).toEqual([['explodes', 'failed', 'runner exploded']]);
    await backend.enqueue(cliRequest('runs'));
    await backend.enqueue(cliRequest('waits'));
    await clock.advance(0);
    await closeWithFakeTime(backend, clock, 0);
    expect(results.map((r) => [r.runId, r.outcome, r.error ?? ''])).toEqual([
      ['explodes', 'failed', 'runner exploded'],
      ['waits', 'aborted', 'shut down before this run started'],
      ['runs', 'aborted', 'aborted'],
    ]);
  });

  it('ticks on a real clock: every 200 ms, on the grid, each slot accounted for once', async () => {
    const work = new FakeExecutor(systemClock);
    work.durationFor = () => 20;
    const backend = createInProcessBackend({ execute: work.execute, lastSlot: () => undefined, log: silentLogger });
    const results: RunResult[] = [];
    backend.onResult((result) => {
      results.push(result);
    });
    await backend.schedule([everyMinute({ every: 200 })]);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    await backend.close({ graceMs: 1_000 });
    const ran = results.filter((r) => r.outcome === 'ok');
    expect(ran.length).toBeGreaterThanOrEqual(3);
    expect(new Set(results.map((r) => r.runId)).size).toBe(results.length);
    const slots = results.map((r) => r.slot!).sort((a, b) => a - b);
    for (const slot of slots) expect(slot % 200).toBe(0);
    expect(slots.slice(1).map((slot, i) => slot - slots[i]!)).toEqual(slots.slice(1).map(() => 200));
    for (const call of work.calls.slice(1)) expect(call.startedAt).toBeGreaterThanOrEqual(call.request.slot!);
  });
});

describe('in-process backend with the SQLite ledger', () => {
  it('after downtime of 5 intervals, a restart runs one catch-up and records the other 4 slots as skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-'));
    const db = openStore(join(dir, 'vigil.db'));
    try {
      const clock = new FakeClock(T0 + 10_000);
      const spec: ScheduleSpec = everyMinute({ id: 'loopback-ports' });
      const boot = async (): Promise<RunBackend> => {
        const work = new FakeExecutor(clock);
        const backend = createInProcessBackend({ execute: work.execute, clock, lastSlot: (id) => lastSlot(db, id), log: silentLogger });
        backend.onResult((result) => {
          recordRun(db, result, clock.now());
        });
        await backend.schedule([spec]);
        return backend;
      };

      const first = await boot();
      await clock.advanceTo(T0 + 2 * MINUTE + 30_000); // the start-up run of slot 0, then ticks 1 and 2
      await closeWithFakeTime(first, clock);
      expect(lastSlot(db, spec.id)).toBe(T0 + 2 * MINUTE);

      clock.jumpTo(T0 + 7 * MINUTE + 10_000); // down through slots 3, 4, 5, 6 and 7
      const second = await boot();
      await clock.advance(30_000);
      await closeWithFakeTime(second, clock);

      const rows = listRuns(db, { scheduleId: spec.id, limit: 100 });
      const minute = (slot: number | null) => (slot! - T0) / MINUTE;
      const afterRestart = rows.filter((row) => minute(row.slot) > 2);
      expect(afterRestart.filter((row) => row.outcome !== 'skipped').map((row) => [minute(row.slot), row.trigger, row.outcome])).toEqual([[7, 'catchup', 'ok']]);
      expect(afterRestart.filter((row) => row.outcome === 'skipped').map((row) => [minute(row.slot), row.skipReason]).sort()).toEqual([
        [3, 'missed'],
        [4, 'missed'],
        [5, 'missed'],
        [6, 'missed'],
      ]);
      expect(rows.map((row) => minute(row.slot)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(lastSlot(db, spec.id)).toBe(T0 + 7 * MINUTE);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** close() waits on the scheduler clock (grace, abort settle); with a fake clock, time has to be moved for it. */
async function closeWithFakeTime(backend: RunBackend, clock: FakeClock, graceMs = 0): Promise<void> {
  let closed = false;
  const closing = backend.close({ graceMs }).then(() => (closed = true));
  for (let i = 0; i < 100 && !closed; i += 1) await clock.advance(1_000);
  await closing;
}
