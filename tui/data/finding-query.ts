import { SEVERITIES, severityRank, type Severity } from '../../src/check-api/types.js';

/**
 * The findings filter language typed after `/`:
 *
 *   sev:high            severity (lists with commas: sev:high,critical; thresholds: sev:>=medium or sev:medium+)
 *   status:open         shown status: new, open, reopened, resolved, accepted, fp (false positive), muted,
 *                       or `active` (new, open or reopened without a decision)
 *   check:aws.*         check id glob; a bare prefix (check:aws) matches that id and everything under it
 *   text or "two words" matched against title, resource and check id, case-insensitively
 *   -term               negates any term (-status:resolved, -check:ports.*, -staging)
 *
 * Terms are ANDed; values inside one term are ORed. Pure: no SQL here, the data layer turns a query into a WHERE.
 * Hand-written because the grammar is a dozen lines and the errors must name the exact term a person mistyped.
 */
export const SHOWN_STATUSES = ['new', 'open', 'reopened', 'resolved', 'accepted', 'false_positive', 'muted'] as const;
export type ShownStatus = (typeof SHOWN_STATUSES)[number];
export type StatusWord = ShownStatus | 'active';

export type Clause =
  | { readonly field: 'severity'; readonly values: readonly Severity[]; readonly negate: boolean }
  | { readonly field: 'status'; readonly values: readonly StatusWord[]; readonly negate: boolean }
  | { readonly field: 'check'; readonly patterns: readonly string[]; readonly negate: boolean }
  | { readonly field: 'text'; readonly value: string; readonly negate: boolean };

export interface FindingQuery {
  readonly clauses: readonly Clause[];
}

export type ParseResult = { readonly ok: true; readonly query: FindingQuery } | { readonly ok: false; readonly error: string };

const FIELD_ALIASES: Record<string, 'severity' | 'status' | 'check'> = {
  sev: 'severity',
  severity: 'severity',
  status: 'status',
  st: 'status',
  check: 'check',
  c: 'check',
};

const STATUS_ALIASES: Record<string, StatusWord> = {
  new: 'new',
  open: 'open',
  reopened: 'reopened',
  resolved: 'resolved',
  accepted: 'accepted',
  fp: 'false_positive',
  'false-positive': 'false_positive',
  false_positive: 'false_positive',
  muted: 'muted',
  active: 'active',
};

export const EMPTY_QUERY: FindingQuery = { clauses: [] };

export function parseFindingQuery(input: string): ParseResult {
  const tokens = tokenize(input);
  if (!tokens.ok) return tokens;
  const clauses: Clause[] = [];
  for (const raw of tokens.tokens) {
    const negate = raw.quoted ? false : raw.text.startsWith('-') && raw.text.length > 1;
    const text = negate ? raw.text.slice(1) : raw.text;
    const colon = raw.quoted ? -1 : text.indexOf(':');
    // Only a word before the colon is a field (or a typo of one); `10.0.0.5:6379` or `repo/x:path` is text.
    const prefix = colon > 0 && /^[a-z]+$/i.test(text.slice(0, colon)) ? text.slice(0, colon) : undefined;
    const field = prefix ? FIELD_ALIASES[prefix.toLowerCase()] : undefined;
    if (prefix && !field) {
      return { ok: false, error: `unknown filter '${text.slice(0, colon)}:' (use sev:, status: or check:, or quote the text)` };
    }
    if (!field) {
      clauses.push({ field: 'text', value: text, negate });
      continue;
    }
    const value = text.slice(colon + 1);
    if (value === '') return { ok: false, error: `'${text}' needs a value after the colon` };
    const parsed = parseValues(field, value);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    clauses.push({ ...parsed, negate } as Clause);
  }
  return { ok: true, query: { clauses } };
}

type ClauseBody = Clause extends infer C ? (C extends Clause ? Omit<C, 'negate'> : never) : never;

function parseValues(field: 'severity' | 'status' | 'check', value: string): ClauseBody | string {
  if (field === 'check') {
    const patterns = value.split(',').filter((part) => part !== '');
    if (patterns.length === 0) return `check: needs a check id or glob`;
    return { field, patterns };
  }
  if (field === 'severity') {
    const threshold = /^>=(\w+)$/.exec(value) ?? /^(\w+)\+$/.exec(value);
    if (threshold) {
      const floor = asSeverity(threshold[1]!);
      if (!floor) return unknownSeverity(threshold[1]!);
      return { field, values: SEVERITIES.filter((s) => severityRank(s) >= severityRank(floor)) };
    }
    const values: Severity[] = [];
    for (const part of value.split(',')) {
      const severity = asSeverity(part);
      if (!severity) return unknownSeverity(part);
      values.push(severity);
    }
    return { field, values };
  }
  const values: StatusWord[] = [];
  for (const part of value.split(',')) {
    const status = STATUS_ALIASES[part.toLowerCase()];
    if (!status) return `unknown status '${part}' (one of ${Object.keys(STATUS_ALIASES).join(', ')})`;
    values.push(status);
  }
  return { field, values };
}

const SEVERITY_SHORT: Record<string, Severity> = { crit: 'critical', med: 'medium', hi: 'high', lo: 'low' };

function asSeverity(word: string): Severity | undefined {
  const lower = word.toLowerCase();
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : SEVERITY_SHORT[lower];
}

function unknownSeverity(word: string): string {
  return `unknown severity '${word}' (one of ${SEVERITIES.join(', ')})`;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

function tokenize(input: string): { ok: true; tokens: Token[] } | { ok: false; error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    if (char === '"') {
      const end = input.indexOf('"', i + 1);
      if (end === -1) return { ok: false, error: 'unterminated quote' };
      const text = input.slice(i + 1, end);
      if (text.trim() !== '') tokens.push({ text, quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end]!)) end += 1;
    tokens.push({ text: input.slice(i, end), quoted: false });
    i = end;
  }
  return { ok: true, tokens };
}

/** Shows a query back in canonical form (status line, command history). */
export function formatFindingQuery(query: FindingQuery): string {
  return query.clauses
    .map((clause) => {
      const sign = clause.negate ? '-' : '';
      switch (clause.field) {
        case 'severity':
          return `${sign}sev:${clause.values.join(',')}`;
        case 'status':
          return `${sign}status:${clause.values.join(',')}`;
        case 'check':
          return `${sign}check:${clause.patterns.join(',')}`;
        case 'text':
          return /\s/.test(clause.value) ? `${sign}"${clause.value}"` : `${sign}${clause.value}`;
      }
    })
    .join(' ');
}
