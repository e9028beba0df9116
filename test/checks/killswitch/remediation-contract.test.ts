import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck } from '../../../src/check-api/define-check.js';
import type { AnyCheck, RemediationRecord } from '../../../src/check-api/types.js';
import { silentLogger } from '../../../src/log.js';
import { runResultSchema } from '../../../src/runs/run-result.js';
import { openStore } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
import { executeRun } from '../../../jobs/runner.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { eventsOf, topics } from './store-harness.js';

/** A check whose remediate step is observable, to pin the runner's contract: enforce only, failures become critical. */
function probeCheck(outcome: RemediationRecord['outcome'] | 'throw', calls: string[]): AnyCheck {
  return defineCheck({
    id: 'killswitch.probe',
    title: 'probe check for the remediation contract',
    area: 'killswitch',
    severity: 'high',
    description: 'test only',
    remediation: 'test only',
    references: [{ framework: 'cwe', control: 'CWE-0' }],
    options: z.strictObject({ mode: z.enum(['detect', 'enforce']).default('detect') }),
    needs: { state: async () => ({ data: { broken: true }, coverage: { ok: ['scope:a'], failed: [] } }) },
    evaluate: ({ state }) => (state.broken ? [{ resourceId: 'thing', key: 'k', scope: 'scope:a', title: 'thing is broken', severity: 'high', evidence: {} }] : []),
    async remediate({ findings, ctx }) {
      calls.push(`${ctx.checkId}:${findings.length}`);
      if (outcome === 'throw') throw new Error('bug in remediate');
      return [{ resourceId: 'thing', key: 'k', actions: ['svc:Fix'], outcome, before: { on: false }, after: outcome === 'fixed' ? { on: true } : null, ...(outcome === 'failed' ? { error: 'AccessDeniedException: no' } : {}) }];
    },
  }) as unknown as AnyCheck;
}

function run(check: AnyCheck, options: unknown) {
  return executeRun({ runId: `r-${Math.random()}`, checkId: check.id, targetId: 't', trigger: 'cli', options, timeoutMs: 5_000 }, { checks: { get: () => check }, log: silentLogger });
}

describe('runner: the optional remediate step', () => {
  const tempDir = useTempDir('vigil-ks-contract-');

  it('is not called in detect mode or without a mode', async () => {
    const calls: string[] = [];
    const check = probeCheck('fixed', calls);
    for (const options of [{}, { mode: 'detect' }]) {
      const result = await run(check, options);
      expect(result.outcome).toBe('ok');
      expect(result.remediations).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });

  it('is called once in enforce mode; the result validates and records a remediated event with before and after', async () => {
    const calls: string[] = [];
    const result = await run(probeCheck('fixed', calls), { mode: 'enforce' });
    expect(calls).toEqual(['killswitch.probe:1']);
    expect(runResultSchema.safeParse(result).success).toBe(true);
    const db = openStore(join(tempDir(), 'ledger.db'));
    recordRun(db, result);
    expect(eventsOf(db, 'killswitch.probe', 'thing', 'k')).toEqual([
      { type: 'new', details: null },
      { type: 'remediated', details: { actions: ['svc:Fix'], before: { on: false }, after: { on: true }, error: null } },
    ]);
    expect(topics(db)).toEqual(['finding.new', 'finding.remediated']);
    db.close();
  });

  it('turns a failed remediation into a critical finding beside the original', async () => {
    const result = await run(probeCheck('failed', []), { mode: 'enforce' });
    expect(result.findings.map((f) => [f.key, f.severity, f.scope])).toEqual([
      ['k', 'high', 'scope:a'],
      ['k#remediation-failed', 'critical', 'scope:a'],
    ]);
  });

  it('a remediate step that throws fails the run loudly, naming the phase', async () => {
    const result = await run(probeCheck('throw', []), { mode: 'enforce' });
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain('during remediate: bug in remediate');
  });
});
