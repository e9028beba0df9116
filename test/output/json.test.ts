import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/output/json.js';
import { finding } from './build-finding.js';

const now = new Date(Date.UTC(2025, 6, 1, 12, 0, 0));

describe('renderJson', () => {
  it('has the tool, the generation time and the findings, in that key order', () => {
    const report = JSON.parse(renderJson([finding()], { toolVersion: '1.2.3', now }));
    expect(Object.keys(report)).toEqual(['tool', 'generatedAt', 'findings']);
    expect(report.tool).toEqual({ name: 'vigil', version: '1.2.3' });
    expect(report.generatedAt).toBe('2025-07-01T12:00:00.000Z');
    expect(report.findings).toHaveLength(1);
  });

  it('writes every field of a finding in a fixed order, dates as ISO strings and absent values as null', () => {
    const view = finding({ decision: 'accepted', decisionReason: 'compensating control', decisionUntil: Date.UTC(2026, 0, 1) });
    const [written] = JSON.parse(renderJson([view], { toolVersion: '1.2.3', now })).findings;
    expect(Object.keys(written)).toEqual([
      'fingerprint',
      'checkId',
      'resourceId',
      'key',
      'scope',
      'targetId',
      'title',
      'severity',
      'status',
      'decision',
      'decisionReason',
      'decisionUntil',
      'evidence',
      'location',
      'remediation',
      'firstSeen',
      'lastSeen',
    ]);
    expect(written).toMatchObject({
      fingerprint: view.fingerprint,
      checkId: view.checkId,
      decision: 'accepted',
      decisionReason: 'compensating control',
      decisionUntil: '2026-01-01T00:00:00.000Z',
      location: null,
      firstSeen: '2025-01-02T03:04:05.000Z',
      lastSeen: '2025-06-07T08:09:10.000Z',
    });
  });

  it('gives unstored findings null dates rather than dropping the keys', () => {
    const [written] = JSON.parse(
      renderJson([finding({ status: 'unstored', firstSeen: undefined, lastSeen: undefined })], { toolVersion: '1.2.3', now }),
    ).findings;
    expect(written.status).toBe('unstored');
    expect(written).toHaveProperty('firstSeen', null);
    expect(written).toHaveProperty('lastSeen', null);
    expect(written).toHaveProperty('decision', null);
  });

  it('prints the same bytes whatever order the evidence keys were built in', () => {
    const a = finding({ evidence: { zeta: 1, alpha: { y: [3, 1], b: true } }, location: { line: 4, file: 'a.ts' } });
    const b = finding({ evidence: { alpha: { b: true, y: [3, 1] }, zeta: 1 }, location: { file: 'a.ts', line: 4 } });
    const first = renderJson([a], { toolVersion: '1', now });
    expect(renderJson([b], { toolVersion: '1', now })).toBe(first);
    const [written] = JSON.parse(first).findings;
    expect(Object.keys(written.evidence)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(written.evidence.alpha)).toEqual(['b', 'y']);
    expect(written.evidence.alpha.y).toEqual([3, 1]);
  });

  it('lists findings most severe first', () => {
    const report = JSON.parse(
      renderJson([finding({ severity: 'info', resourceId: 'a' }), finding({ severity: 'critical', resourceId: 'b' })], {
        toolVersion: '1',
        now,
      }),
    );
    expect(report.findings.map((written: { severity: string }) => written.severity)).toEqual(['critical', 'info']);
  });
});
