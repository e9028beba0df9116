/**
 * Alpine (apk) version order: `digits{.digits}{letter}{_suffix{digits}}…{~hash}{-r#}`. Read as a sequence of typed
 * tokens compared pairwise while both sides have a token of the same type: numbers as numbers (a later dotted part
 * with a leading zero compares as a string, as apk does), letters by character, suffixes by rank
 * (alpha < beta < pre < rc < none < cvs < svn < git < hg < p), the commit hash as a string. When one side runs out or
 * the types differ, a pre-release suffix loses, otherwise the side whose next token comes earlier in the grammar wins
 * (`1.0.1` > `1.0a` > `1.0`, `1.0-r1` > `1.0`). Hand-written from the apk version grammar: no npm library implements it.
 */
/** Token kinds in grammar order: the order decides who wins when two versions part ways. */
const Kind = { Initial: 0, Digit: 1, Letter: 2, Suffix: 3, SuffixNumber: 4, Hash: 5, Revision: 6, End: 7, Invalid: 8 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const RELEASE = SUFFIXES.indexOf('');

interface Token {
  readonly kind: Kind;
  readonly text: string;
  readonly rank: number;
}

/** Splits a version into tokens, ending with End (well-formed) or Invalid. */
export function tokenizeAlpine(version: string): Token[] {
  const tokens: Token[] = [];
  const first = /^\d+/.exec(version);
  if (!first) return [{ kind: Kind.Invalid, text: version, rank: 0 }];
  tokens.push({ kind: Kind.Initial, text: first[0], rank: 0 });
  let rest = version.slice(first[0].length);
  let last = Kind.Initial as Kind;
  const push = (kind: Kind, text: string, consumed: number, rank = 0) => {
    tokens.push({ kind, text, rank });
    rest = rest.slice(consumed);
    last = kind;
  };
  while (rest.length > 0) {
    const c = rest[0]!;
    let match: RegExpExecArray | null;
    if (c >= 'a' && c <= 'z' && last <= Kind.Digit) push(Kind.Letter, c, 1);
    else if (c === '.' && last <= Kind.Digit && (match = /^\.(\d+)/.exec(rest))) push(Kind.Digit, match[1]!, match[0].length);
    else if (c >= '0' && c <= '9' && last === Kind.Suffix && (match = /^\d+/.exec(rest))) push(Kind.SuffixNumber, match[0], match[0].length);
    else if (c === '_' && last <= Kind.SuffixNumber && (match = /^_([a-z]+)/.exec(rest)) && SUFFIXES.includes(match[1]!) && match[1] !== '')
      push(Kind.Suffix, match[1]!, match[0].length, SUFFIXES.indexOf(match[1]!));
    else if (c === '~' && last < Kind.Hash && (match = /^~([0-9a-fA-F]+)/.exec(rest))) push(Kind.Hash, match[1]!, match[0].length);
    else if (c === '-' && last < Kind.Revision && (match = /^-r(\d+)/.exec(rest))) push(Kind.Revision, match[1]!, match[0].length);
    else return [...tokens, { kind: Kind.Invalid, text: rest, rank: 0 }];
  }
  return [...tokens, { kind: Kind.End, text: '', rank: 0 }];
}

export function validAlpine(version: string): boolean {
  return tokenizeAlpine(version.trim()).at(-1)!.kind === Kind.End;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byNumber = (a: string, b: string) => {
  const left = a.replace(/^0+(?=\d)/, '');
  const right = b.replace(/^0+(?=\d)/, '');
  return left.length !== right.length ? Math.sign(left.length - right.length) : byString(left, right);
};

function compareToken(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      return a.text.startsWith('0') || b.text.startsWith('0') ? byString(a.text, b.text) : byNumber(a.text, b.text);
    case Kind.Initial:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return byNumber(a.text, b.text);
    case Kind.Suffix:
      return Math.sign(a.rank - b.rank);
    default:
      return byString(a.text, b.text);
  }
}

export function compareAlpine(a: string, b: string): number {
  const left = tokenizeAlpine(a.trim());
  const right = tokenizeAlpine(b.trim());
  if (left.at(-1)!.kind !== Kind.End || right.at(-1)!.kind !== Kind.End) throw new Error(`not an Alpine version: '${left.at(-1)!.kind !== Kind.End ? a : b}'`);
  let i = 0;
  while (left[i]!.kind === right[i]!.kind && left[i]!.kind < Kind.End) {
    const result = compareToken(left[i]!, right[i]!);
    if (result !== 0) return result;
    i += 1;
  }
  const l = left[i]!;
  const r = right[i]!;
  if (l.kind === r.kind) return 0;
  if (l.kind === Kind.Suffix && l.rank < RELEASE) return -1;
  if (r.kind === Kind.Suffix && r.rank < RELEASE) return 1;
  return l.kind > r.kind ? -1 : 1;
}
