import { describe, expect, test } from 'vitest';
import { formatFindingQuery, parseFindingQuery } from '../../tui/data/finding-query.js';

function clauses(text: string) {
  const result = parseFindingQuery(text);
  if (!result.ok) throw new Error(result.error);
  return result.query.clauses;
}

describe('findings query language', () => {
  test('fields, lists, globs and free text combine', () => {
    expect(clauses('sev:high status:open check:aws.* public bucket')).toEqual([
      { field: 'severity', values: ['high'], negate: false },
      { field: 'status', values: ['open'], negate: false },
      { field: 'check', patterns: ['aws.*'], negate: false },
      { field: 'text', value: 'public', negate: false },
      { field: 'text', value: 'bucket', negate: false },
    ]);
  });

  test('severity thresholds, lists and short names', () => {
    expect(clauses('sev:>=high')).toEqual([{ field: 'severity', values: ['high', 'critical'], negate: false }]);
    expect(clauses('severity:medium+')).toEqual([{ field: 'severity', values: ['medium', 'high', 'critical'], negate: false }]);
    expect(clauses('sev:crit,LOW')).toEqual([{ field: 'severity', values: ['critical', 'low'], negate: false }]);
  });

  test('status words and aliases, negation, quoted text', () => {
    expect(clauses('status:fp,false-positive,active -status:muted -staging "two words"')).toEqual([
      { field: 'status', values: ['false_positive', 'false_positive', 'active'], negate: false },
      { field: 'status', values: ['muted'], negate: true },
      { field: 'text', value: 'staging', negate: true },
      { field: 'text', value: 'two words', negate: false },
    ]);
  });

  test('a colon after something that is not a word is text (host:port, paths)', () => {
    expect(clauses('10.0.0.5:6379 repo/a:b')).toEqual([
      { field: 'text', value: '10.0.0.5:6379', negate: false },
      { field: 'text', value: 'repo/a:b', negate: false },
    ]);
  });

  test('quoted text may contain a colon and is never a field', () => {
    expect(clauses('"sev:high"')).toEqual([{ field: 'text', value: 'sev:high', negate: false }]);
  });

  test('an empty query matches everything', () => {
    expect(clauses('   ')).toEqual([]);
  });

  test.each([
    ['sev:urgent', "unknown severity 'urgent' (one of info, low, medium, high, critical)"],
    ['sev:>=bad', "unknown severity 'bad' (one of info, low, medium, high, critical)"],
    ['status:closed', "unknown status 'closed'"],
    ['owner:alice', "unknown filter 'owner:' (use sev:, status: or check:, or quote the text)"],
    ['sev:', "'sev:' needs a value after the colon"],
    ['"open', 'unterminated quote'],
  ])('%s is refused with a message naming the term', (text, error) => {
    const result = parseFindingQuery(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });

  test('formats back to an equivalent query', () => {
    const text = 'sev:high,critical -status:resolved check:aws.*,k8s "open bucket" token';
    const query = parseFindingQuery(text);
    expect(query.ok && formatFindingQuery(query.query)).toBe(text);
    const again = parseFindingQuery(text);
    expect(again.ok && again.query).toEqual(query.ok && query.query);
  });
});
