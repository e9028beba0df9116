import { setMaxListeners } from 'node:events';
import { CheckExecutionError, CheckTimeoutError, RunAbortedError, describeError } from '../src/check-api/errors.js';
import { remediationFailureFinding, wantsEnforce } from '../src/check-api/remediation.js';
import type { AnyCheck, CheckContext, Clock, Collected, Collector, Coverage, FindingInput, RemediationRecord, ResolutionReason } from '../src/check-api/types.js';
import type { Logger } from '../src/log.js';
import type { RunRequest, RunResult } from '../src/runs/run-result.js';
import { memoKey, type CollectionMemo } from './collection-memo.js';

export interface RunnerDeps {
  readonly checks: { get(id: string): AnyCheck | undefined };
  readonly log: Logger;
  readonly clock?: Clock;
  /** SDK clients, resolvers and other seams handed to collectors through the context. */
  readonly services?: Readonly<Record<string, unknown>>;
  /** Cursor values committed by earlier runs of this check and target. */
  readonly readCursors?: (checkId: string, targetId: string) => Record<string, string>;
  readonly onProgress?: (done: number, total: number, message?: string) => void;
  /** Shares what `sharedCollector`s return between the runs of one group (one CLI invocation, one tick). */
  readonly collectionMemo?: CollectionMemo;
}

/**
 * Executes one run: validate options, collect (every collector in parallel), evaluate, and describe the outcome as a
 * RunResult. It never writes the ledger (the single writer does), and it never throws: every failure is an outcome,
 * so a broken check cannot take the scheduler down with it.
 */
export async function executeRun(request: RunRequest, deps: RunnerDeps, signal?: AbortSignal): Promise<RunResult> {
  const clock = deps.clock ?? { now: () => Date.now() };
  const startedAt = clock.now();
  const base = {
    runId: request.runId,
    checkId: request.checkId,
    targetId: request.targetId,
    trigger: request.trigger,
    ...(request.scheduleId !== undefined ? { scheduleId: request.scheduleId } : {}),
    ...(request.slot !== undefined ? { slot: request.slot } : {}),
    startedAt,
  };
  const empty: Coverage = { ok: [], failed: [] };
  const failedResult = (outcome: RunResult['outcome'], error: string): RunResult => ({
    ...base,
    outcome,
    error,
    finishedAt: clock.now(),
    coverage: empty,
    findings: [],
    cursorWrites: {},
  });

  const check = deps.checks.get(request.checkId);
  if (!check) return failedResult('failed', `unknown check '${request.checkId}'`);
  const options = check.options.safeParse(request.options);
  if (!options.success) {
    return failedResult('failed', new CheckExecutionError(check.id, request.targetId, 'options', options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).message);
  }

  const controller = new AbortController();
  // Every in-flight call of the run's collectors (32 AWS regions at once, hundreds of probes) listens for its abort,
  // and every run of a group listens on the group's signal: many listeners are the design, not a leak, and Node's
  // MaxListenersExceededWarning in the daemon log would only teach people to ignore warnings.
  setMaxListeners(0, controller.signal);
  if (signal) setMaxListeners(0, signal);
  const timeout = setTimeout(() => controller.abort(new CheckTimeoutError(`run exceeded its timeout of ${request.timeoutMs} ms`)), request.timeoutMs);
  const onOuterAbort = () => controller.abort(new RunAbortedError('run aborted (shutdown or cancel)'));
  if (signal?.aborted) onOuterAbort();
  else signal?.addEventListener('abort', onOuterAbort, { once: true });

  const committed = deps.readCursors?.(check.id, request.targetId) ?? {};
  const staged: Record<string, string> = {};
  const log = deps.log.child({ check: check.id, target: request.targetId, run: request.runId });
  const ctx: CheckContext<unknown> = {
    checkId: check.id,
    target: { id: request.targetId },
    options: options.data,
    log,
    signal: controller.signal,
    progress: deps.onProgress ?? (() => {}),
    cursor: {
      get: (key) => staged[key] ?? committed[key],
      set: (key, value) => {
        staged[key] = value;
      },
    },
    clock,
    services: deps.services ?? {},
    collect: (collector) => collectShared(collector),
  };
  const collectShared = <T>(collector: Collector<T, any>): Promise<Collected<T>> =>
    deps.collectionMemo ? deps.collectionMemo.collect(collector, memoKey(request.options, request.slot), () => collector(ctx)) : collector(ctx);

  try {
    const entries = Object.entries(check.needs);
    const collected = await untilAborted(
      Promise.all(
        entries.map(async ([name, collector]) => {
          try {
            const result = await collectShared(collector);
            return [name, result] as const;
          } catch (error) {
            if (controller.signal.aborted) throw controller.signal.reason;
            throw new CheckExecutionError(check.id, request.targetId, 'collect', error);
          }
        }),
      ),
      controller.signal,
    );
    const data: Record<string, unknown> = {};
    const ok = new Set<string>();
    const failed: Coverage['failed'][number][] = [];
    const skipped: NonNullable<Coverage['skipped']>[number][] = [];
    for (const [name, result] of collected as (readonly [string, Collected<unknown>])[]) {
      data[name] = result.data;
      for (const scope of result.coverage.ok) ok.add(scope);
      failed.push(...result.coverage.failed);
      skipped.push(...(result.coverage.skipped ?? []));
    }
    // A scope that failed in any collector is not covered, even if another collector read it.
    for (const failure of failed) ok.delete(failure.scope);
    if (ok.size === 0 && failed.length === 0) ok.add(request.targetId);

    let findings: FindingInput[];
    try {
      findings = check.evaluate(data as never, options.data);
    } catch (error) {
      throw new CheckExecutionError(check.id, request.targetId, 'evaluate', error);
    }
    let remediations: RemediationRecord[] | undefined;
    if (check.remediate && wantsEnforce(options.data) && findings.length > 0) {
      const detected = findings;
      try {
        remediations = await untilAborted(check.remediate({ data: data as never, findings: detected, options: options.data, ctx }), controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        throw new CheckExecutionError(check.id, request.targetId, 'remediate', error);
      }
      const failures = remediations
        .filter((record) => record.outcome === 'failed')
        .map((record) => remediationFailureFinding(record, detected.find((f) => f.resourceId === record.resourceId && (f.key ?? '') === (record.key ?? ''))));
      findings = [...detected, ...failures];
    }
    let reasons: ResolutionReason[] = [];
    try {
      reasons = check.resolutionReasons?.(data as never, options.data) ?? [];
    } catch (error) {
      throw new CheckExecutionError(check.id, request.targetId, 'evaluate', error);
    }
    const coverage: Coverage = { ok: [...ok].sort(), failed, ...(skipped.length ? { skipped } : {}) };
    const outcome = failed.length > 0 ? 'partial' : 'ok';
    if (outcome === 'partial') log.warn({ failed }, 'run is partial: some scopes could not be read');
    return {
      ...base,
      outcome,
      finishedAt: clock.now(),
      coverage,
      findings,
      cursorWrites: staged,
      ...(remediations ? { remediations } : {}),
      ...(reasons.length > 0 ? { resolutionReasons: reasons } : {}),
    };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    if (reason instanceof CheckTimeoutError) return failedResult('timeout', reason.message);
    if (reason instanceof RunAbortedError) return failedResult('aborted', reason.message);
    log.error({ err: error }, 'run failed');
    return failedResult('failed', describeError(error));
  } finally {
    clearTimeout(timeout);
    signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Stops waiting as soon as the signal aborts, even if a collector ignores its signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
