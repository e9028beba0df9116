import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/output/csv.js';
import { finding } from './build-finding.js';

const HEADER = 'fingerprint,severity,status,decision,check_id,resource_id,key,scope,title,location,first_seen,last_seen,remediation';

/** Just enough RFC 4180 to read back what renderCsv wrote: quoted fields, doubled quotes, newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function column(rows: string[][], name: (typeof CSV_COLUMNS)[number]): string[] {
  const index = CSV_COLUMNS.indexOf(name);
  return rows.slice(1).map((row) => row[index]!);
}

describe('renderCsv', () => {
  it('writes the header row and one row per finding, most severe first', () => {
    const text = renderCsv([finding({ severity: 'low', resourceId: 'a' }), finding({ severity: 'critical', resourceId: 'b' })]);
    const rows = parseCsv(text);
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
    expect(column(rows, 'severity')).toEqual(['critical', 'low']);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes the header alone for no findings', () => {
    expect(renderCsv([])).toBe(`${HEADER}\n`);
  });

  it('fills every column from the finding: compact location, ISO dates, empty decision', () => {
    const view = finding({
      checkId: 'secrets.history',
      resourceId: 'repo:api',
      key: 'aws-access-key',
      location: { file: 'deploy/prod.env', line: 3, commit: '3f2c1ab' },
    });
    const [, row] = parseCsv(renderCsv([view]));
    expect(Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, row![index]]))).toEqual({
      fingerprint: view.fingerprint,
      severity: 'high',
      status: 'open',
      decision: '',
      check_id: 'secrets.history',
      resource_id: 'repo:api',
      key: 'aws-access-key',
      scope: 'aws:123456789012/eu-west-1',
      title: 'S3 account-level public access block is off',
      location: 'deploy/prod.env:3 @3f2c1ab',
      first_seen: '2025-01-02T03:04:05.000Z',
      last_seen: '2025-06-07T08:09:10.000Z',
      remediation: 'Turn on all four S3 Block Public Access settings for the account.',
    });
  });

  it('leaves dates empty for findings that were never stored', () => {
    const rows = parseCsv(renderCsv([finding({ status: 'unstored', firstSeen: undefined, lastSeen: undefined })]));
    expect(column(rows, 'status')).toEqual(['unstored']);
    expect(column(rows, 'first_seen')).toEqual(['']);
    expect(column(rows, 'last_seen')).toEqual(['']);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")'],
    ['+cmd|" /C calc"!A0'],
    ['-2+3'],
    ['@SUM(1+1)*cmd|" /C calc"!A0'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['＝1+1'],
  ])('prefixes a cell that a spreadsheet would run as a formula with a quote: %j', (payload) => {
    const rows = parseCsv(renderCsv([finding({ title: payload, resourceId: payload, remediation: payload })]));
    expect(column(rows, 'title')).toEqual([`'${payload}`]);
    expect(column(rows, 'resource_id')).toEqual([`'${payload}`]);
    expect(column(rows, 'remediation')).toEqual([`'${payload}`]);
  });

  it('leaves harmless cells as they are, including ones with a formula character later on', () => {
    const rows = parseCsv(renderCsv([finding({ title: 'a=b, c+d', resourceId: 'arn:aws:iam::1:role/x-y' })]));
    expect(column(rows, 'title')).toEqual(['a=b, c+d']);
    expect(column(rows, 'resource_id')).toEqual(['arn:aws:iam::1:role/x-y']);
  });

  it('quotes commas, double quotes and newlines so a cell stays one cell', () => {
    const title = 'Bucket "logs", public\nand writable';
    const text = renderCsv([finding({ title, remediation: 'line one\r\nline two' })]);
    expect(text).toContain('"Bucket ""logs"", public\nand writable"');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(column(rows, 'title')).toEqual([title]);
    expect(column(rows, 'remediation')).toEqual(['line one\r\nline two']);
  });
});
