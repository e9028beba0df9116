import { describe, expect, it } from 'vitest';
import { compileKeywords } from '../../../checks/secrets/scan/keyword-automaton.js';

const all = (keywords: string[], text: string) => {
  const automaton = compileKeywords(keywords);
  const bytes = Buffer.from(text, 'utf8');
  const ends: number[] = [];
  for (let at = 0; ; ) {
    const end = automaton.next(bytes, at, bytes.length);
    if (end === -1) return ends;
    ends.push(end);
    at = end;
  }
};

describe('keyword automaton', () => {
  it('stops at the first keyword end, case-insensitively, and a fresh search starts from scratch', () => {
    // 'she' and 'he' both end at 4; 'hers' would end at 6 but the next search starts at 4 with no state.
    expect(all(['he', 'she', 'hers', 'his'], 'uSHErs and HIS')).toEqual([4, 14]);
    expect(all(['hers'], 'uSHErs')).toEqual([6]);
    expect(all(['akia', 'aws_secret'], 'x AWS_SECRET=1 akiaQ')).toEqual([12, 19]);
  });

  it('follows failure links: a keyword that starts inside a failed longer match is still found', () => {
    expect(all(['abcd', 'bcx'], 'abcx')).toEqual([4]);
  });

  it('returns -1 when no keyword occurs, and ignores non-ASCII bytes', () => {
    expect(all(['token'], 'tökén ŧoken tokeN')).toEqual([Buffer.byteLength('tökén ŧoken tokeN')]);
    expect(all(['secret'], 'nothing to see here')).toEqual([]);
  });

  it('respects the from/to window', () => {
    const automaton = compileKeywords(['key']);
    const bytes = Buffer.from('key key key');
    expect(automaton.next(bytes, 1, bytes.length)).toBe(7);
    expect(automaton.next(bytes, 1, 6)).toBe(-1);
  });

  it('refuses a non-ASCII keyword', () => {
    expect(() => compileKeywords(['clé'])).toThrow(/not ASCII/);
  });
});
