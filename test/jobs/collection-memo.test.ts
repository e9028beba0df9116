import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { sharedCollector } from '../../src/check-api/shared-collector.js';
import type { AnyCheck, CheckContext, Collected } from '../../src/check-api/types.js';
import { silentLogger } from '../../src/log.js';
import { CollectionMemo } from '../../jobs/collection-memo.js';
import { executeRun } from '../../jobs/runner.js';
import type { RunRequest } from '../../src/runs/run-result.js';

/** A family of two checks over one inventory, the shape the CIS controls take. */
function family() {
  const calls: string[] = [];
  const inventory = sharedCollector(async (ctx: CheckContext<{ accounts: string[] }>): Promise<Collected<{ buckets: string[] }>> => {
    calls.push(ctx.checkId);
    return { data: { buckets: ctx.options.accounts.map((a) => `${a}-logs`) }, coverage: { ok: ctx.options.accounts, failed: [] } };
  });
  const cursorReader = async (ctx: CheckContext<{ accounts: string[] }>): Promise<Collected<number>> => {
    calls.push(`cursor:${ctx.checkId}`);
    return { data: 1, coverage: { ok: [], failed: [] } };
  };
  const options = z.strictObject({ accounts: z.array(z.string()) });
  const make = (id: string, withCursor: boolean) =>
    defineCheck({
      id,
      title: id,
      area: 'aws',
      severity: 'high',
      description: 'test',
      remediation: 'test',
      references: [],
      options,
      needs: withCursor ? { inventory, cursorReader } : { inventory },
      evaluate: (data) => data.inventory.buckets.map((bucket) => ({ resourceId: bucket, title: `${id} ${bucket}`, severity: 'high' as const, evidence: {} })),
    }) as unknown as AnyCheck;
  const checks = [make('aws.test.one', true), make('aws.test.two', false)];
  return { calls, checks: { get: (id: string) => checks.find((c) => c.id === id) } };
}

const request = (checkId: string, options: unknown, slot?: number): RunRequest => ({
  runId: `r-${checkId}-${slot ?? 'cli'}-${Math.random()}`,
  checkId,
  targetId: 'prod',
  trigger: 'schedule',
  options,
  timeoutMs: 5_000,
  ...(slot !== undefined ? { slot, scheduleId: `prod/${checkId}` } : {}),
});

describe('shared collection across the runs of one group', () => {
  it('collects a shared inventory once per group and slot; unshared collectors and new slots collect again', async () => {
    const { calls, checks } = family();
    const memo = new CollectionMemo();
    const deps = { checks, log: silentLogger, collectionMemo: memo };
    const options = { accounts: ['111', '222'] };
    const [one, two] = await Promise.all([executeRun(request('aws.test.one', options, 1000), deps), executeRun(request('aws.test.two', { accounts: ['111', '222'] }, 1000), deps)]);
    expect(one.outcome).toBe('ok');
    expect(two.findings.map((f) => f.resourceId)).toEqual(['111-logs', '222-logs']);
    expect(calls.filter((c) => !c.startsWith('cursor:'))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('cursor:'))).toEqual(['cursor:aws.test.one']);

    await executeRun(request('aws.test.two', options, 2000), deps);
    expect(calls.filter((c) => !c.startsWith('cursor:'))).toHaveLength(2);
    // Different options are a different inventory.
    await executeRun(request('aws.test.two', { accounts: ['333'] }, 2000), deps);
    expect(calls.filter((c) => !c.startsWith('cursor:'))).toHaveLength(3);
  });

  it('without a memo every run collects, and an old entry is not served after maxAge', async () => {
    const { calls, checks } = family();
    await executeRun(request('aws.test.two', { accounts: ['1'] }), { checks, log: silentLogger });
    await executeRun(request('aws.test.two', { accounts: ['1'] }), { checks, log: silentLogger });
    expect(calls).toHaveLength(2);

    let now = 0;
    const memo = new CollectionMemo(1_000, () => now);
    const deps = { checks, log: silentLogger, collectionMemo: memo };
    await executeRun(request('aws.test.two', { accounts: ['1'] }), deps);
    await executeRun(request('aws.test.two', { accounts: ['1'] }), deps);
    expect(calls).toHaveLength(3);
    now = 5_000;
    await executeRun(request('aws.test.two', { accounts: ['1'] }), deps);
    expect(calls).toHaveLength(4);
    expect(memo.size).toBe(1);
  });
});
