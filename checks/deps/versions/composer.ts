/**
 * Composer (Packagist) version order: Composer's VersionParser normalisation (`v` prefix dropped, four numeric parts,
 * stability suffixes `-dev`, `alpha`/`a`, `beta`/`b`, `RC`, `patch`/`pl`/`p` with an optional number) followed by
 * PHP's version_compare order of those suffixes: dev < alpha < beta < RC < (stable) < patch. Hand-written: no npm
 * library implements Composer's normalisation.
 */
const COMPOSER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p|dev)(?:[.-]?(\d+))?)?(?:-dev)?$/i;
const STABILITY: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, stable: 4, patch: 5, pl: 5, p: 5 };

interface ComposerVersion {
  readonly parts: readonly number[];
  readonly stability: number;
  readonly stabilityNumber: number;
  readonly dev: boolean;
}

export function parseComposer(version: string): ComposerVersion | undefined {
  const text = version.trim();
  const match = COMPOSER.exec(text);
  if (!match) return undefined;
  const suffix = match[5]?.toLowerCase();
  return {
    parts: [1, 2, 3, 4].map((i) => Number(match[i] ?? 0)),
    stability: suffix ? STABILITY[suffix]! : 4,
    stabilityNumber: Number(match[6] ?? 0),
    // `1.2.x-dev` style branch aliases and a trailing -dev sort before the release they lead to.
    dev: /-dev$/i.test(text) && suffix !== 'dev',
  };
}

export function compareComposer(a: string, b: string): number {
  const left = parseComposer(a);
  const right = parseComposer(b);
  if (!left || !right) throw new Error(`not a Composer version: '${left ? b : a}'`);
  for (let i = 0; i < 4; i++) {
    const diff = left.parts[i]! - right.parts[i]!;
    if (diff !== 0) return Math.sign(diff);
  }
  return Math.sign(left.stability - right.stability) || Math.sign(left.stabilityNumber - right.stabilityNumber) || Number(right.dev) - Number(left.dev);
}
