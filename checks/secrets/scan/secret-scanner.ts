import { redactSecret, type RedactedSecret } from '../../../src/check-api/redact.js';
import { shannonEntropy, type SecretRule } from '../rules/rule.js';

/** What a detector hands out: the raw value is already gone, only its hash and a redacted preview remain. */
export interface SecretMatch {
  readonly ruleId: string;
  readonly secret: RedactedSecret;
  /** 1-based line and column of the secret inside the scanned text. */
  readonly line: number;
  readonly column: number;
}

interface LineResult {
  readonly hits: readonly LineHit[];
  /** Multi-line rules whose keywords occur on this line: they then run over the whole text. */
  readonly multiline: readonly SecretRule[];
}

interface LineHit {
  readonly ruleId: string;
  readonly secret: RedactedSecret;
  readonly column: number;
}

export const ALLOW_MARKER = 'vigil:allow';
// Minified bundles put a whole program on one line; around each keyword we look this far instead.
const MAX_LINE = 4096;
const WINDOW_BEFORE = 512;
const WINDOW_AFTER = 1024;
const LINE_CACHE_LIMIT = 200_000;

export interface SecretScanner {
  scanText(text: string): SecretMatch[];
  readonly stats: { candidateLines: number; cachedLines: number };
}

/**
 * Keyword prefilter + per-line matching. One case-insensitive alternation of every rule keyword finds candidate lines;
 * only those lines go through the rules whose keywords they contain, and a line seen before (the same line repeated in
 * every version of a file) is answered from a cache. Hand-written because no npm secret scanner keeps raw values out of
 * its results or can be driven blob by blob (research §1: secretlint puts the secret in `message`).
 */
export function createSecretScanner(rules: readonly SecretRule[], options: { stopwords?: readonly string[] } = {}): SecretScanner {
  const stopwords = (options.stopwords ?? []).map((word) => word.toLowerCase());
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))].sort((a, b) => b.length - a.length);
  const keywordPattern = new RegExp(keywords.map(escapeRegExp).join('|'), 'gi');
  const lineRules = rules.filter((rule) => !rule.multiline);
  const multilineRules = rules.filter((rule) => rule.multiline);
  const cache = new Map<string, LineResult>();
  const stats = { candidateLines: 0, cachedLines: 0 };

  function matchLine(line: string): LineResult {
    const cached = cache.get(line);
    if (cached) {
      stats.cachedLines++;
      return cached;
    }
    stats.candidateLines++;
    const lower = line.toLowerCase();
    const result: LineResult = {
      hits: line.includes(ALLOW_MARKER) ? [] : runRules(lineRules, line, stopwords),
      multiline: multilineRules.filter((rule) => rule.keywords.some((keyword) => lower.includes(keyword))),
    };
    if (cache.size >= LINE_CACHE_LIMIT) cache.clear();
    cache.set(line, result);
    return result;
  }

  function scanText(text: string): SecretMatch[] {
    const out: SecretMatch[] = [];
    const multiline = new Set<SecretRule>();
    let lineNo = 1;
    let countedTo = 0;
    const lineAt = (index: number) => {
      for (let i = text.indexOf('\n', countedTo); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) lineNo++;
      countedTo = index;
      return lineNo;
    };
    keywordPattern.lastIndex = 0;
    for (let m = keywordPattern.exec(text); m !== null; m = keywordPattern.exec(text)) {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      let lineEnd = text.indexOf('\n', m.index);
      if (lineEnd === -1) lineEnd = text.length;
      let start = lineStart;
      let end = lineEnd;
      if (lineEnd - lineStart > MAX_LINE) {
        start = Math.max(lineStart, m.index - WINDOW_BEFORE);
        end = Math.min(lineEnd, m.index + WINDOW_AFTER);
      }
      keywordPattern.lastIndex = Math.max(end, m.index + 1);
      const { hits, multiline: lineMultiline } = matchLine(text.slice(start, end));
      for (const rule of lineMultiline) multiline.add(rule);
      if (hits.length === 0) continue;
      const line = lineAt(lineStart);
      for (const hit of hits) out.push({ ruleId: hit.ruleId, secret: hit.secret, line, column: start - lineStart + hit.column + 1 });
    }
    for (const rule of multiline) {
      for (const hit of runRules([rule], text, stopwords)) {
        const before = text.lastIndexOf('\n', hit.column - 1) + 1;
        const lineText = text.slice(before, text.indexOf('\n', hit.column) === -1 ? text.length : text.indexOf('\n', hit.column));
        if (lineText.includes(ALLOW_MARKER)) continue;
        out.push({ ruleId: hit.ruleId, secret: hit.secret, line: lineNumberAt(text, hit.column), column: hit.column - before + 1 });
      }
    }
    return out;
  }

  return { scanText, stats };
}

/** Runs rules over one text; provider-specific rules come first and a later match overlapping a kept one is dropped. */
function runRules(rules: readonly SecretRule[], text: string, stopwords: readonly string[]): LineHit[] {
  const lower = text.toLowerCase();
  const kept: { hit: LineHit; end: number }[] = [];
  for (const rule of rules) {
    if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex++;
        continue;
      }
      const captured = m.groups?.secret ?? m.slice(1).find((group) => group !== undefined) ?? m[0];
      const raw = rule.decode ? rule.decode(captured) : captured;
      if (rule.entropy !== undefined && shannonEntropy(raw) < rule.entropy) continue;
      if (rule.validate && !rule.validate(raw)) continue;
      if (stopwords.length > 0 && stopwords.some((word) => raw.toLowerCase().includes(word))) continue;
      const offset = m[0].lastIndexOf(captured);
      const column = m.index + (offset < 0 ? 0 : offset);
      const end = column + captured.length;
      if (kept.some((k) => column < k.end && end > k.hit.column)) continue;
      kept.push({ hit: { ruleId: rule.id, secret: redactSecret(raw), column }, end });
    }
  }
  return kept.map((k) => k.hit);
}

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
