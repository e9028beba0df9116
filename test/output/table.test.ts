import { describe, expect, it } from 'vitest';
import { renderTable, summaryLine, truncateEnd, truncateMiddle } from '../../src/output/table.js';
import { ANSI, finding } from './build-finding.js';

const mixed = [
  finding({ checkId: 'dns.dangling-cname', resourceId: 'example.com/shop', severity: 'medium', title: 'CNAME points at an unclaimed bucket' }),
  finding({ checkId: 'ports.unexpected-open', resourceId: '10.0.0.5:22', severity: 'high', status: 'new', title: 'SSH open to the internet' }),
  finding({ checkId: 'aws.cloudtrail.multi-region', resourceId: 'aws:123456789012', severity: 'medium', title: 'No multi-region trail' }),
];

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('renderTable', () => {
  it('prints "No findings." for an empty list and nothing else', () => {
    expect(renderTable([], { color: false })).toBe('No findings.\n');
    expect(renderTable([], { color: true })).toBe('No findings.\n');
  });

  it('is plain text when colour is off, with a header, one row per finding and a summary', () => {
    const out = renderTable(mixed, { color: false });
    expect(out).not.toMatch(ANSI);
    const header = lines(out).find((line) => line.includes('SEVERITY'))!;
    expect(header).toMatch(/SEVERITY.*STATUS.*CHECK.*RESOURCE.*TITLE/);
    expect(header).not.toContain('DECISION');
    expect(lines(out).at(-1)).toBe('3 findings: 1 high, 2 medium');
  });

  it('sorts by severity, then check, then resource', () => {
    const out = renderTable(
      [...mixed, finding({ checkId: 'dns.dangling-cname', resourceId: 'example.com/api', severity: 'medium', title: 'Another' })],
      { color: false },
    );
    const order = ['10.0.0.5:22', 'aws:123456789012', 'example.com/api', 'example.com/shop'].map((resource) => out.indexOf(resource));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('colours severities and bolds the header when colour is on', () => {
    const out = renderTable([finding({ severity: 'critical' }), finding({ severity: 'medium', resourceId: 'other' })], { color: true });
    expect(out).toMatch(ANSI);
    expect(out).toContain('\u001b[1m\u001b[31mcritical\u001b[39m\u001b[22m');
    expect(out).toContain('\u001b[33mmedium\u001b[39m');
    expect(out).toContain('\u001b[1mSEVERITY\u001b[22m');
    // The status, check and summary carry no colour.
    expect(lines(out).at(-1)).toBe('2 findings: 1 critical, 1 medium');
  });

  it('shows a DECISION column when any finding has a decision', () => {
    const out = renderTable(
      [finding({ decision: 'false_positive', resourceId: 'a' }), finding({ resourceId: 'b' }), finding({ decision: 'accepted', resourceId: 'c' })],
      { color: false },
    );
    const rows = lines(out);
    expect(rows.find((line) => line.includes('SEVERITY'))).toContain('DECISION');
    expect(rows.find((line) => line.includes('│ a '))).toContain('false positive');
    expect(rows.find((line) => line.includes('│ c '))).toContain('accepted');
    expect(rows.find((line) => line.includes('│ b '))).not.toMatch(/false positive|accepted|muted/);
  });

  it('cuts long titles at the end and long resources in the middle, with …', () => {
    const title = `Bucket policy allows public read ${'x'.repeat(200)} END-OF-TITLE`;
    const resource = `arn:aws:s3:::${'very-long-bucket-name-'.repeat(8)}final-segment`;
    const out = renderTable([finding({ title, resourceId: resource })], { color: false });
    expect(out).not.toContain('END-OF-TITLE');
    expect(out).toMatch(/Bucket policy allows public read x+…/);
    expect(out).toMatch(/arn:aws:s3:::very-lo[^│]*…[^│]*final-segment/);
    expect(out).not.toContain(resource);
    expect(Math.max(...lines(out).map((line) => line.length))).toBeLessThanOrEqual(160);
  });

  it('fits a given terminal width by shrinking the title first', () => {
    const out = renderTable(
      [finding({ title: 'T'.repeat(100), resourceId: 'r'.repeat(60), checkId: 'ports.unexpected-open' })],
      { color: false, maxWidth: 100 },
    );
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(100);
    // The title gave way first and stopped at its floor; the check id is still whole.
    expect(out).toMatch(/│ T{19}… │/);
    expect(out).toContain('│ ports.unexpected-open │');
  });

  it('neutralises control characters from scanned data so they cannot move the cursor or colour the terminal', () => {
    const out = renderTable([finding({ resourceId: 'repo:evil\u001b[2J\u001b[31mname', title: 'two\nlines' })], { color: false });
    expect(out).not.toContain('\u001b');
    expect(out).toContain('two lines');
  });
});

describe('summaryLine', () => {
  it('counts by severity, most severe first, and says "finding" for one', () => {
    expect(summaryLine([finding({ severity: 'low' })])).toBe('1 finding: 1 low');
    expect(summaryLine([finding({ severity: 'info' }), finding({ severity: 'critical' }), finding({ severity: 'info' })])).toBe(
      '3 findings: 1 critical, 2 info',
    );
  });
});

describe('truncation', () => {
  it('keeps short text whole and never exceeds the limit', () => {
    expect(truncateEnd('short', 10)).toBe('short');
    expect(truncateEnd('abcdefghij', 5)).toBe('abcd…');
    expect(truncateMiddle('abcdefghij', 5)).toBe('ab…ij');
    expect(Array.from(truncateMiddle('abcdefghijk', 6))).toHaveLength(6);
  });

  it('does not split a character made of two UTF-16 units', () => {
    expect(truncateEnd('🔥🔥🔥🔥', 3)).toBe('🔥🔥…');
  });
});
