/**
 * Debian (dpkg) version order, as deb-version(7) defines it: `[epoch:]upstream[-revision]`, epochs compared as
 * numbers, then upstream and revision each compared by alternating runs of non-digits (letters before other
 * characters, `~` before everything, even the end of the string) and digits (as numbers). Hand-written: no maintained
 * npm library implements dpkg's order, and it is twenty lines.
 */
const DEBIAN = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/;

interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

export function parseDebian(version: string): DebianVersion | undefined {
  const text = version.trim();
  // Without an epoch an upstream version may not contain ':'; with one it may.
  const match = DEBIAN.exec(text);
  if (!match) return undefined;
  if (match[1] === undefined && match[2]!.includes(':')) return undefined;
  return { epoch: Number(match[1] ?? 0), upstream: match[2]!, revision: match[3] ?? '' };
}

/** Weight of one character in a non-digit run: `~` sorts first (even before the end), then the end, letters, the rest. */
function weight(char: string | undefined): number {
  if (char === undefined) return 0;
  if (char === '~') return -1;
  if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
  return char.charCodeAt(0) + 256;
}

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/** dpkg's verrevcmp over one part (upstream or revision). */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const left = weight(isDigit(a[i]) ? undefined : a[i]);
      const right = weight(isDigit(b[j]) ? undefined : b[j]);
      if (left !== right) return Math.sign(left - right);
      i += 1;
      j += 1;
    }
    let startA = i;
    let startB = j;
    while (isDigit(a[i])) i += 1;
    while (isDigit(b[j])) j += 1;
    const left = a.slice(startA, i).replace(/^0+/, '');
    const right = b.slice(startB, j).replace(/^0+/, '');
    if (left.length !== right.length) return Math.sign(left.length - right.length);
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

export function compareDebian(a: string, b: string): number {
  const left = parseDebian(a);
  const right = parseDebian(b);
  if (!left || !right) throw new Error(`not a Debian version: '${left ? b : a}'`);
  return Math.sign(left.epoch - right.epoch) || comparePart(left.upstream, right.upstream) || comparePart(left.revision, right.revision);
}
