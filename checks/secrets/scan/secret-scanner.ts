import { redactSecret, type RedactedSecret } from '../../../src/check-api/redact.js';
import { shannonEntropy, type SecretRule } from '../rules/rule.js';
import { compileKeywords } from './keyword-automaton.js';

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
  /** Scans raw bytes (a blob as git hands it over); only lines holding a keyword are ever decoded. */
  scanBytes(bytes: Buffer): SecretMatch[];
  scanText(text: string): SecretMatch[];
  readonly stats: { candidateLines: number; cachedLines: number };
}

/**
 * Keyword prefilter + per-line matching. A byte-level automaton of every rule keyword finds candidate lines; only
 * those lines are decoded and go through the rules whose keywords they contain, and a line seen before (the same line
 * repeated in every version of a file) is answered from a cache. Hand-written because no npm secret scanner keeps raw
 * values out of its results or can be driven blob by blob (research §1: secretlint puts the secret in `message`).
 */
export function createSecretScanner(rules: readonly SecretRule[], options: { stopwords?: readonly string[] } = {}): SecretScanner {
  const stopwords = (options.stopwords ?? []).map((word) => word.toLowerCase());
  const automaton = compileKeywords([...new Set(rules.flatMap((rule) => rule.keywords))]);
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

  function scanBytes(bytes: Buffer): SecretMatch[] {
    const out: SecretMatch[] = [];
    const multiline = new Set<SecretRule>();
    let lineNo = 1;
    let countedTo = 0;
    const lineAt = (index: number) => {
      for (let i = bytes.indexOf(10, countedTo); i !== -1 && i < index; i = bytes.indexOf(10, i + 1)) lineNo++;
      countedTo = index;
      return lineNo;
    };
    const length = bytes.length;
    for (let pos = 0; pos < length; ) {
      const hitEnd = automaton.next(bytes, pos, length);
      if (hitEnd === -1) break;
      const hit = hitEnd - 1;
      const lineStart = hit === 0 ? 0 : bytes.lastIndexOf(10, hit) + 1;
      let lineEnd = bytes.indexOf(10, hit);
      if (lineEnd === -1) lineEnd = length;
      let start = lineStart;
      let end = lineEnd;
      if (lineEnd - lineStart > MAX_LINE) {
        start = Math.max(lineStart, hit - WINDOW_BEFORE);
        end = Math.min(lineEnd, hit + WINDOW_AFTER);
      }
      pos = Math.max(end, hitEnd);
      const { hits, multiline: lineMultiline } = matchLine(bytes.toString('utf8', start, end));
      for (const rule of lineMultiline) multiline.add(rule);
      if (hits.length === 0) continue;
      const line = lineAt(lineStart);
      const before = start > lineStart ? bytes.toString('utf8', lineStart, start).length : 0;
      for (const hit of hits) out.push({ ruleId: hit.ruleId, secret: hit.secret, line, column: before + hit.column + 1 });
    }
    if (multiline.size > 0) {
      const text = bytes.toString('utf8');
      for (const rule of multiline) {
        for (const hit of runRules([rule], text, stopwords)) {
          const before = text.lastIndexOf('\n', hit.column - 1) + 1;
          const lineText = text.slice(before, text.indexOf('\n', hit.column) === -1 ? text.length : text.indexOf('\n', hit.column));
          if (lineText.includes(ALLOW_MARKER)) continue;
          out.push({ ruleId: hit.ruleId, secret: hit.secret, line: lineNumberAt(text, hit.column), column: hit.column - before + 1 });
        }
      }
    }
    return out;
  }

  return { scanBytes, scanText: (text) => scanBytes(Buffer.from(text, 'utf8')), stats };
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

