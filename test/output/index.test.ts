import { describe, expect, it } from 'vitest';
import { isOutputFormat, OUTPUT_FORMATS, renderFindings } from '../../src/output/index.js';
import { ANSI, check, finding } from './build-finding.js';

const findings = [finding({ severity: 'critical' }), finding({ severity: 'low', resourceId: 'other' })];
const options = { color: false, toolVersion: '0.9.0', now: new Date(Date.UTC(2025, 6, 1)) };

describe('renderFindings', () => {
  it('offers exactly the four formats', () => {
    expect(OUTPUT_FORMATS).toEqual(['table', 'json', 'sarif', 'csv']);
    expect(isOutputFormat('sarif')).toBe(true);
    expect(isOutputFormat('xml')).toBe(false);
  });

  it('renders each format, every one ending in a newline', () => {
    const table = renderFindings('table', findings, [check()], options);
    expect(table).toContain('2 findings: 1 critical, 1 low');
    const json = JSON.parse(renderFindings('json', findings, [check()], options));
    expect(json.generatedAt).toBe('2025-07-01T00:00:00.000Z');
    expect(json.tool.version).toBe('0.9.0');
    const sarif = JSON.parse(renderFindings('sarif', findings, [check()], { ...options, informationUri: 'https://vigil.example' }));
    expect(sarif.runs[0].tool.driver).toMatchObject({ version: '0.9.0', informationUri: 'https://vigil.example' });
    expect(sarif.runs[0].results).toHaveLength(2);
    const csv = renderFindings('csv', findings, [check()], options);
    expect(csv.trimEnd().split('\n')).toHaveLength(3);
    for (const format of OUTPUT_FORMATS) expect(renderFindings(format, findings, [check()], options).endsWith('\n')).toBe(true);
  });

  it('colours only the table, and only when asked', () => {
    for (const format of OUTPUT_FORMATS) {
      expect(renderFindings(format, findings, [check()], { ...options, color: true }), format).toSatisfy(
        (out: string) => (format === 'table') === ANSI.test(out),
      );
    }
  });

  it('stamps JSON with the current time when no clock is given', () => {
    const before = Date.now();
    const { generatedAt } = JSON.parse(renderFindings('json', [], [], { color: false, toolVersion: '0.9.0' }));
    expect(Date.parse(generatedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(generatedAt)).toBeLessThanOrEqual(Date.now());
  });
});
