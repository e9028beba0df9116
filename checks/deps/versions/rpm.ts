/**
 * RPM version order (rpm's rpmvercmp, applied to epoch, version and release in turn): `[epoch:]version[-release]`,
 * a missing epoch is 0. Each part is compared by alternating runs of ASCII digits (as numbers, leading zeros ignored)
 * and ASCII letters (as strings); every other character only separates runs (`2.0` == `2_0`). A numeric run beats an
 * alphabetic one (`6.0.rc1` > `6.0`), `~` sorts before everything, even the end of the string (`1.0~rc1` < `1.0`), and
 * `^` sorts after the end of the string but before any further run (`1.0` < `1.0^git1` < `1.0.1`). Hand-written: the
 * npm packages that claim rpmvercmp are unmaintained or skip `^`, and the algorithm is thirty lines.
 */
export interface RpmVersion {
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

const EVR = /^(?:(\d+):)?([^:-][^:]*?)(?:-([^-:]+))?$/;

export function parseRpm(text: string): RpmVersion | undefined {
  const match = EVR.exec(text.trim());
  if (!match) return undefined;
  return { epoch: Number(match[1] ?? 0), version: match[2]!, release: match[3] ?? '' };
}

export function validRpm(text: string): boolean {
  return parseRpm(text) !== undefined;
}

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
const isAlpha = (char: string | undefined) => char !== undefined && /[A-Za-z]/.test(char);
const isSeparator = (char: string | undefined) => char !== undefined && !isDigit(char) && !isAlpha(char) && char !== '~' && char !== '^';

/** rpmvercmp over one part (version or release). */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i += 1;
    while (isSeparator(b[j])) j += 1;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const inRun = numeric ? isDigit : isAlpha;
    const startA = i;
    const startB = j;
    while (inRun(a[i])) i += 1;
    while (inRun(b[j])) j += 1;
    // The other side has a run of the other kind here: numbers are newer than letters.
    if (j === startB) return numeric ? 1 : -1;
    let left = a.slice(startA, i);
    let right = b.slice(startB, j);
    if (numeric) {
      left = left.replace(/^0+/, '');
      right = right.replace(/^0+/, '');
      if (left.length !== right.length) return left.length > right.length ? 1 : -1;
    }
    if (left !== right) return left < right ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export function compareRpm(a: string, b: string): number {
  const left = parseRpm(a);
  const right = parseRpm(b);
  if (!left || !right) throw new Error(`not an RPM version: '${left ? b : a}'`);
  return Math.sign(left.epoch - right.epoch) || rpmvercmp(left.version, right.version) || rpmvercmp(left.release, right.release);
}
