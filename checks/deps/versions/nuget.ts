/**
 * NuGet version order (NuGet.Versioning's VersionComparer): up to four numeric parts (missing ones are 0), a
 * pre-release sorts before its release, pre-release labels compare part by part with numbers below words and words
 * compared ignoring case, and build metadata is ignored. Hand-written: the npm option (`@snyk/nuget-semver`) got about
 * a third of the public NuGet ordering cases wrong, and these are the 40 lines that matter.
 */
const NUGET = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface NugetVersion {
  readonly parts: readonly number[];
  readonly pre: readonly string[];
}

export function parseNuget(version: string): NugetVersion | undefined {
  const match = NUGET.exec(version.trim());
  if (!match) return undefined;
  return { parts: [1, 2, 3, 4].map((i) => Number(match[i] ?? 0)), pre: match[5] ? match[5].split('.') : [] };
}

function compareLabel(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an !== bn) return an ? -1 : 1;
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  return al < bl ? -1 : al > bl ? 1 : 0;
}

export function compareNuget(a: string, b: string): number {
  const left = parseNuget(a);
  const right = parseNuget(b);
  if (!left || !right) throw new Error(`not a NuGet version: '${left ? b : a}'`);
  for (let i = 0; i < 4; i++) {
    const diff = left.parts[i]! - right.parts[i]!;
    if (diff !== 0) return Math.sign(diff);
  }
  if (left.pre.length === 0 || right.pre.length === 0) return left.pre.length === right.pre.length ? 0 : left.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(left.pre.length, right.pre.length); i++) {
    const result = compareLabel(left.pre[i]!, right.pre[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(left.pre.length - right.pre.length);
}
