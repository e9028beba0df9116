import { describe, expect, it } from 'vitest';
import { compareFindings, formatLocation, fromFindingRow, fromFindingRowAt, sortFindings } from '../../src/output/finding-view.js';
import type { FindingRow } from '../../src/store/finding-row.js';
import { finding } from './build-finding.js';

const NOW = Date.UTC(2025, 6, 1);

function row(overrides: Partial<FindingRow> = {}): FindingRow {
  return {
    fingerprint: 'f'.repeat(64),
    checkId: 'dns.dangling-cname',
    resourceId: 'example.com/shop',
    key: '',
    scope: 'zone:example.com',
    targetId: 'dns-prod',
    title: 'shop.example.com points at an unclaimed bucket',
    severity: 'high',
    status: 'reopened',
    evidence: { cname: 'shop.s3.amazonaws.com' },
    location: null,
    remediation: 'Delete the record or claim the bucket.',
    tags: ['takeover'],
    firstSeen: Date.UTC(2025, 0, 1),
    lastSeen: Date.UTC(2025, 5, 30),
    resolvedAt: null,
    firstRunId: 'run-1',
    lastRunId: 'run-9',
    decision: null,
    decisionUntil: null,
    decisionReason: null,
    decisionBy: null,
    decisionAt: null,
    ...overrides,
  };
}

describe('fromFindingRow', () => {
  it('copies what a report needs from a stored row', () => {
    expect(fromFindingRowAt(row(), NOW)).toEqual({
      fingerprint: 'f'.repeat(64),
      checkId: 'dns.dangling-cname',
      resourceId: 'example.com/shop',
      key: '',
      scope: 'zone:example.com',
      targetId: 'dns-prod',
      title: 'shop.example.com points at an unclaimed bucket',
      severity: 'high',
      status: 'reopened',
      decision: null,
      decisionReason: null,
      decisionUntil: null,
      evidence: { cname: 'shop.s3.amazonaws.com' },
      location: null,
      remediation: 'Delete the record or claim the bucket.',
      firstSeen: Date.UTC(2025, 0, 1),
      lastSeen: Date.UTC(2025, 5, 30),
    });
  });

  it('keeps a decision that is in force, with its reason and date', () => {
    const until = Date.UTC(2026, 0, 1);
    const view = fromFindingRowAt(row({ decision: 'accepted', decisionUntil: until, decisionReason: 'moving in Q3' }), NOW);
    expect(view).toMatchObject({ decision: 'accepted', decisionReason: 'moving in Q3', decisionUntil: until });
    expect(fromFindingRowAt(row({ decision: 'false_positive', decisionReason: 'test data' }), NOW).decision).toBe('false_positive');
  });

  it('drops an acceptance whose date has passed, since the finding alerts again', () => {
    const view = fromFindingRowAt(row({ decision: 'accepted', decisionUntil: NOW - 1, decisionReason: 'old' }), NOW);
    expect(view).toMatchObject({ decision: null, decisionReason: null, decisionUntil: null });
  });

  it('judges lapses against the clock when used as a map callback, whatever index map passes', () => {
    const lapsed = row({ decision: 'accepted', decisionUntil: Date.now() - 60_000, decisionReason: 'old' });
    const current = row({ decision: 'accepted', decisionUntil: Date.now() + 86_400_000, decisionReason: 'new' });
    expect([lapsed, current].map(fromFindingRow).map((view) => view.decision)).toEqual([null, 'accepted']);
  });
});

describe('report order', () => {
  it('puts the most severe first, then orders by check, resource and key', () => {
    const a = finding({ severity: 'low', checkId: 'a.check', resourceId: 'r1' });
    const b = finding({ severity: 'critical', checkId: 'z.check', resourceId: 'r1' });
    const c = finding({ severity: 'low', checkId: 'a.check', resourceId: 'r0' });
    const d = finding({ severity: 'low', checkId: 'a.check', resourceId: 'r0', key: 'k2' });
    const e = finding({ severity: 'low', checkId: 'a.check', resourceId: 'r0', key: 'k1' });
    expect(sortFindings([a, b, c, d, e])).toEqual([b, c, e, d, a]);
    expect(compareFindings(a, a)).toBe(0);
  });

  it('does not change the caller’s array', () => {
    const input = [finding({ severity: 'low' }), finding({ severity: 'high', resourceId: 'x' })];
    const copy = [...input];
    sortFindings(input);
    expect(input).toEqual(copy);
  });
});

describe('formatLocation', () => {
  it('writes each kind of location on one line', () => {
    expect(formatLocation(null)).toBe('');
    expect(formatLocation({ file: 'a/b.ts', line: 12, commit: '3f2c1ab' })).toBe('a/b.ts:12 @3f2c1ab');
    expect(formatLocation({ file: 'a/b.ts' })).toBe('a/b.ts');
    expect(formatLocation({ host: '10.0.0.5', port: 22 })).toBe('10.0.0.5:22');
    expect(formatLocation({ host: '2001:db8::1', port: 443 })).toBe('[2001:db8::1]:443');
    expect(formatLocation({ region: 'eu-west-1', url: 'https://example.com/x' })).toBe('eu-west-1 https://example.com/x');
  });
});
