import { crc32 } from 'node:zlib';
import type { Severity } from '../../../src/check-api/types.js';

/**
 * One detector. The raw secret a pattern captures never leaves the scanner: it is redacted into a SecretMatch at once.
 * Keywords are lower-case literals; a text with none of them is never run through `pattern`, which is what keeps a
 * full-history scan cheap (most blobs contain no keyword at all).
 */
export interface SecretRule {
  readonly id: string;
  readonly provider: string;
  readonly title: string;
  readonly severity: Severity;
  readonly keywords: readonly string[];
  /** Global regex; the secret is the named group `secret`, else group 1, else the whole match. */
  readonly pattern: RegExp;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  readonly entropy?: number;
  /** Structure or checksum validation of the captured secret. */
  readonly validate?: (secret: string) => boolean;
  /** Turns the captured text into the secret itself (a base64 Kubernetes value into the password it encodes). */
  readonly decode?: (captured: string) => string;
  /** Matches span lines (PEM blocks): run over the whole text instead of one line. */
  readonly multiline?: boolean;
  /** Keyword-and-entropy rules: a provider-specific match on the same span wins over them. */
  readonly generic?: boolean;
  /** Synthetic examples, built at call time from pieces so this repository never holds a token-shaped literal. */
  readonly samples: { readonly match: () => string[]; readonly noMatch: readonly string[] };
}

export function defineRule(rule: SecretRule): SecretRule {
  if (!rule.pattern.global) throw new Error(`secret rule ${rule.id}: pattern needs the g flag`);
  if (rule.keywords.length === 0 || rule.keywords.some((k) => k !== k.toLowerCase() || k.length < 2)) {
    throw new Error(`secret rule ${rule.id}: keywords must be lower-case literals of 2+ characters`);
  }
  return Object.freeze(rule);
}

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER = /\$\{[^}]*\}|\{\{[^}]*\}\}|%\([^)]*\)s|<[^>]+>|changeme|change_me|replace_?me|your[_-]|example|placeholder|dummy|redacted|xxxx|\*\*\*\*|\.\.\.|^(?:password|secret|token|null|none|undefined|true|false)$/i;

/** Values people commit on purpose: templates, documentation examples, masked values. */
export function looksLikePlaceholder(value: string): boolean {
  if (PLACEHOLDER.test(value)) return true;
  // One character repeated (aaaaaaaa, 00000000) or a plain run (abcdefgh, 12345678).
  if (/^(.)\1+$/.test(value)) return true;
  return /^(?:0123456789|123456789|abcdefghij|abcdefgh|12345678|qwerty)/i.test(value) && shannonEntropy(value) < 3.5;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of a CRC32, left-padded to 6: the checksum tail of GitHub and npm tokens. */
export function base62Crc32(body: string): string {
  let n = crc32(body);
  let out = '';
  do {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(6, '0');
}

/**
 * GitHub (ghp_, gho_, ...) and npm (npm_) tokens end with 6 base62 characters holding the CRC32 of the 30 random
 * characters before them (github.blog 2021-04-05). A token-shaped string whose tail disagrees is not a token.
 */
export function hasValidCrc32Tail(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength, -6);
  return body.length === 30 && base62Crc32(body) === token.slice(-6);
}

/** Builds a token with a correct checksum tail, for samples and tests. */
export function withCrc32Tail(prefix: string, body30: string): string {
  return prefix + body30 + base62Crc32(body30);
}

export function base64url(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

/**
 * The common shape of vendor tokens: a fixed prefix and a random body. `sampleBody` builds the positive sample at call
 * time; the negative samples are a templated and an all-x body, which every such rule must reject.
 */
export function prefixedTokenRule(spec: {
  id: string;
  provider: string;
  title: string;
  severity: Severity;
  prefix: string;
  body: string;
  minEntropy?: number;
  sample: () => string;
  extraNoMatch?: readonly string[];
  /** Literals more selective than the prefix (a two-letter prefix would send every text through the pattern). */
  keywords?: readonly string[];
}): SecretRule {
  const escaped = spec.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return defineRule({
    id: spec.id,
    provider: spec.provider,
    title: spec.title,
    severity: spec.severity,
    keywords: spec.keywords ?? [spec.prefix.toLowerCase()],
    pattern: new RegExp(`(?<![A-Za-z0-9_])(${escaped}${spec.body})(?![A-Za-z0-9_-])`, 'g'),
    validate: (secret) => !looksLikePlaceholder(secret.slice(spec.prefix.length)) && shannonEntropy(secret.slice(spec.prefix.length)) >= (spec.minEntropy ?? 3.5),
    samples: {
      match: () => [`KEY="${spec.sample()}"`],
      noMatch: [`KEY="${spec.prefix}\${TOKEN}"`, `KEY="${spec.prefix}${'x'.repeat(40)}"`, ...(spec.extraNoMatch ?? [])],
    },
  });
}

/**
 * Secrets with no distinctive prefix (32 hex characters, a UUID): only the vendor's name on the left of the assignment
 * makes them secrets, so the names are the keywords and part of the pattern.
 */
export function keyedSecretRule(spec: {
  id: string;
  provider: string;
  title: string;
  severity?: Severity;
  names: readonly string[];
  value: string;
  sample: () => string;
  extraNoMatch?: readonly string[];
}): SecretRule {
  const names = spec.names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return defineRule({
    id: spec.id,
    provider: spec.provider,
    title: spec.title,
    severity: spec.severity ?? 'high',
    keywords: spec.names.map((n) => n.toLowerCase()),
    pattern: new RegExp(`(?:${names})[A-Za-z0-9_.-]{0,40}["'\\]]?\\s*(?:[:=]|=>)\\s*["']?(${spec.value})(?![A-Za-z0-9])`, 'gi'),
    validate: (secret) => !looksLikePlaceholder(secret) && shannonEntropy(secret) >= 3.0,
    samples: {
      match: () => [spec.sample()],
      noMatch: [`${spec.names[0]}_key = "\${SECRET}"`, `${spec.names[0]}_api_key: 00000000000000000000000000000000`, ...(spec.extraNoMatch ?? [])],
    },
  });
}
