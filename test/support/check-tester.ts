import { describe, expect, it } from 'vitest';
import type { AnyCheck, Collected, FindingInput, Severity } from '../../src/check-api/types.js';
import { silentLogger } from '../../src/log.js';
import { findingInputSchema } from '../../src/runs/run-result.js';
import { executeRun } from '../../jobs/runner.js';

export interface ExpectedFinding {
  readonly resourceId: string;
  readonly key?: string;
  readonly severity: Severity;
  readonly scope?: string;
  /** Substring or pattern the title must match. */
  readonly title?: string | RegExp;
}

interface BaseCase {
  readonly name: string;
  /** Raw options as a config file would give them; the check's schema applies defaults. */
  readonly options: unknown;
}

export interface PassCase extends BaseCase {
  readonly inventory: Record<string, unknown>;
}

export interface FailCase extends PassCase {
  readonly findings: readonly ExpectedFinding[];
}

export interface PartialCase extends BaseCase {
  /** What each collector returns, coverage included; at least one scope must have failed. */
  readonly collected: Record<string, Collected<unknown>>;
  readonly failedScopes: readonly string[];
}

export interface CheckCases {
  readonly pass: readonly PassCase[];
  readonly fail: readonly FailCase[];
  readonly partial?: readonly PartialCase[];
}

/**
 * The one way checks are tested (ESLint's RuleTester in spirit). It refuses empty pass/fail lists and duplicate cases,
 * asserts the exact set of findings (not "some"), validates every finding against the wire schema, and evaluates each
 * inventory twice to prove the evaluator is deterministic.
 */
export function checkTester(check: AnyCheck, cases: CheckCases): void {
  if (cases.pass.length === 0) throw new Error(`${check.id}: checkTester needs at least one pass case`);
  if (cases.fail.length === 0) throw new Error(`${check.id}: checkTester needs at least one fail case`);
  const all = [...cases.pass, ...cases.fail, ...(cases.partial ?? [])];
  const names = new Set<string>();
  const bodies = new Set<string>();
  for (const testCase of all) {
    if (names.has(testCase.name)) throw new Error(`${check.id}: duplicate case name '${testCase.name}'`);
    names.add(testCase.name);
    const body = JSON.stringify(['inventory' in testCase ? testCase.inventory : testCase.collected, testCase.options]);
    if (bodies.has(body)) throw new Error(`${check.id}: case '${testCase.name}' repeats another case's input`);
    bodies.add(body);
  }
  for (const testCase of cases.fail) {
    if (testCase.findings.length === 0) throw new Error(`${check.id}: fail case '${testCase.name}' expects no findings; make it a pass case`);
  }

  describe(`check ${check.id}`, () => {
    for (const testCase of cases.pass) {
      it(`passes: ${testCase.name}`, () => {
        expect.hasAssertions();
        expect(evaluateTwice(check, testCase)).toEqual([]);
      });
    }
    for (const testCase of cases.fail) {
      it(`fails: ${testCase.name}`, () => {
        expect.hasAssertions();
        const findings = evaluateTwice(check, testCase);
        expect(findings.map(summary).sort(bySummary)).toEqual([...testCase.findings].map(expectedSummary).sort(bySummary));
        for (const expected of testCase.findings) {
          const actual = findings.find((f) => f.resourceId === expected.resourceId && (f.key ?? '') === (expected.key ?? ''))!;
          if (expected.scope !== undefined) expect(actual.scope).toBe(expected.scope);
          if (expected.title === undefined) continue;
          if (typeof expected.title === 'string') expect(actual.title).toContain(expected.title);
          else expect(actual.title).toMatch(expected.title);
        }
      });
    }
    for (const testCase of cases.partial ?? []) {
      it(`is partial: ${testCase.name}`, async () => {
        expect.hasAssertions();
        const needs = Object.fromEntries(Object.keys(check.needs).map((name) => [name, async () => testCase.collected[name]!]));
        const stubbed = { ...check, needs } as AnyCheck;
        const result = await executeRun(
          { runId: 'tester', checkId: check.id, targetId: 'tester', trigger: 'cli', options: testCase.options, timeoutMs: 10_000 },
          { checks: { get: () => stubbed }, log: silentLogger },
        );
        expect(result.error).toBeUndefined();
        expect(result.outcome).toBe('partial');
        expect(result.coverage.failed.map((f) => f.scope).sort()).toEqual([...testCase.failedScopes].sort());
        for (const scope of testCase.failedScopes) expect(result.coverage.ok).not.toContain(scope);
      });
    }
  });
}

function evaluateTwice(check: AnyCheck, testCase: PassCase): FindingInput[] {
  const options = check.options.parse(testCase.options);
  const first = check.evaluate(structuredClone(testCase.inventory) as never, options);
  const second = check.evaluate(structuredClone(testCase.inventory) as never, options);
  expect(second, 'evaluate must be deterministic').toEqual(first);
  for (const finding of first) {
    const parsed = findingInputSchema.safeParse(finding);
    expect(parsed.success, `finding ${finding.resourceId} must match the wire schema: ${parsed.error?.message}`).toBe(true);
  }
  const fingerprints = first.map((f) => `${f.resourceId}\0${f.key ?? ''}`);
  expect(new Set(fingerprints).size, 'a check must not yield the same finding twice').toBe(fingerprints.length);
  return first;
}

type Summary = { resourceId: string; key: string; severity: Severity };

function summary(finding: FindingInput): Summary {
  return { resourceId: finding.resourceId, key: finding.key ?? '', severity: finding.severity };
}

function expectedSummary(expected: ExpectedFinding): Summary {
  return { resourceId: expected.resourceId, key: expected.key ?? '', severity: expected.severity };
}

function bySummary(a: Summary, b: Summary): number {
  return `${a.resourceId}\0${a.key}`.localeCompare(`${b.resourceId}\0${b.key}`);
}
