/**
 * Maven's ComparableVersion ordering (maven-artifact 3.x), ported by hand: no maintained npm library implements it,
 * and peers that approximated it with SemVer misordered vendor qualifiers (`2.414.2-cb-5`, `.Final-redhat-0001`).
 * Qualifier order: alpha < beta < milestone < rc = cr < snapshot < (release = ga = final = '') < sp < anything else.
 */

type Item = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'string', value: ALIASES[v] ?? v };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'int', value: BigInt(text) } : stringItem(text, false);
}

function comparableQualifier(qualifier: string): string {
  const index = QUALIFIERS.indexOf(qualifier);
  return index === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return item.value === '';
  return item.items.length === 0;
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMavenVersion(version: string): Item {
  const text = version.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const openList = () => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.') {
      list.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.push(parseItem(isDigit, text.slice(start)));
  while (stack.length > 0) normalize(stack.pop()!);
  return { kind: 'list', items: root };
}

function compareItems(left: Item | undefined, right: Item | undefined): number {
  if (left === undefined) return right === undefined ? 0 : -compareItems(right, undefined);
  if (left.kind === 'int') {
    if (right === undefined) return left.value === 0n ? 0 : 1;
    if (right.kind === 'int') return left.value === right.value ? 0 : left.value < right.value ? -1 : 1;
    return 1;
  }
  if (left.kind === 'string') {
    if (right === undefined) return cmpStrings(comparableQualifier(left.value), RELEASE_INDEX);
    if (right.kind === 'string') return cmpStrings(comparableQualifier(left.value), comparableQualifier(right.value));
    return -1;
  }
  if (right === undefined) return left.items.length === 0 ? 0 : compareItems(left.items[0], undefined);
  if (right.kind === 'int') return -1;
  if (right.kind === 'string') return 1;
  const length = Math.max(left.items.length, right.items.length);
  for (let i = 0; i < length; i++) {
    const l = left.items[i];
    const r = right.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItems(r, undefined)) : compareItems(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

function cmpStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

let parsed = new Map<string, Item>();

/** Memoised: matching compares the same few range bounds against many versions. */
function parseCached(version: string): Item {
  let item = parsed.get(version);
  if (!item) {
    if (parsed.size >= 50_000) parsed = new Map();
    item = parseMavenVersion(version);
    parsed.set(version, item);
  }
  return item;
}

export function compareMaven(a: string, b: string): number {
  return compareItems(parseCached(a), parseCached(b));
}
