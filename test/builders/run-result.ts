import type { FindingInput } from '../../src/check-api/types.js';
import type { RunResult } from '../../src/runs/run-result.js';

let counter = 0;

/** A RunResult with sensible defaults; tests state only what they are about. */
export function runResult(overrides: Partial<RunResult> = {}): RunResult {
  counter += 1;
  return {
    runId: `run-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    checkId: 'ports.unexpected-open',
    targetId: 'lab',
    trigger: 'cli',
    outcome: 'ok',
    startedAt: 1_000,
    finishedAt: 2_000,
    coverage: { ok: ['host:10.0.0.1', 'host:10.0.0.2'], failed: [] },
    findings: [],
    cursorWrites: {},
    ...overrides,
  };
}

export function portFinding(address: string, port: number, overrides: Partial<FindingInput> = {}): FindingInput {
  return {
    resourceId: `${address}:${port}`,
    scope: `host:${address}`,
    title: `Unexpected open port ${port}/tcp on ${address}`,
    severity: 'medium',
    evidence: { address, port },
    ...overrides,
  };
}
