import pep440 from '@renovatebot/pep440';
import rubySemver from '@renovatebot/ruby-semver';
import semver from 'semver';
import { baseEcosystem } from '../model.js';
import { compareAlpine, validAlpine } from './alpine.js';
import { compareComposer, parseComposer } from './composer.js';
import { compareDebian, parseDebian } from './debian.js';
import { compareMaven } from './maven.js';
import { compareNuget, parseNuget } from './nuget.js';
import { compareRpm, validRpm } from './rpm.js';

/** A total order on one ecosystem's versions; `parse` says whether a string is a version of that ecosystem at all. */
export interface VersionOrder {
  readonly name: string;
  valid(version: string): boolean;
  compare(a: string, b: string): number;
}

export class UnorderableVersionError extends Error {}

/**
 * SemVer 2.0 precedence, pre-releases included: OSV ranges need the plain order (node-semver's `satisfies` would hide
 * affected pre-releases). `compareBuild` is not used because build metadata does not affect precedence.
 */
const semverOrder: VersionOrder = {
  name: 'semver',
  valid: (version) => parseSemver(version) !== null,
  compare(a, b) {
    const left = parseSemver(a);
    const right = parseSemver(b);
    if (!left || !right) throw new UnorderableVersionError(`not a SemVer version: '${left ? b : a}'`);
    return left.compare(right);
  },
};

/**
 * Parsing dominates matching (a package version meets the same handful of range bounds again and again), so parsed
 * versions are memoised; the cache is dropped whole when it grows past a bound, which keeps memory flat.
 */
function memoised<T>(parse: (version: string) => T, limit = 50_000): (version: string) => T {
  let cache = new Map<string, T>();
  return (version) => {
    const hit = cache.get(version);
    if (hit !== undefined || cache.has(version)) return hit as T;
    if (cache.size >= limit) cache = new Map();
    const value = parse(version);
    cache.set(version, value);
    return value;
  };
}

const parseSemver = memoised((version: string) => semver.parse(version));

/** Go: module versions are SemVer with a `v` prefix; `+incompatible` is build metadata and pseudo-versions are pre-releases. */
const goOrder: VersionOrder = {
  name: 'go',
  valid: (version) => semver.parse(stripV(version)) !== null,
  compare: (a, b) => semverOrder.compare(stripV(a), stripV(b)),
};

function stripV(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

/** PEP 440 (epochs, pre/post/dev releases, local versions) through @renovatebot/pep440. */
const validPep440 = memoised((version: string) => pep440.valid(version) !== null);

const pypiOrder: VersionOrder = {
  name: 'pep440',
  valid: validPep440,
  compare(a, b) {
    if (!validPep440(a) || !validPep440(b)) throw new UnorderableVersionError(`not a PEP 440 version: '${validPep440(a) ? b : a}'`);
    return pep440.compare(a, b);
  },
};

/** RubyGems' Gem::Version order (`1.0.0.beta1` < `1.0.0`, `1.0` == `1.0.0`) through @renovatebot/ruby-semver. */
const validGem = memoised((version: string) => rubySemver.valid(version) !== null);
const rubyGemsOrder: VersionOrder = {
  name: 'rubygems',
  valid: validGem,
  compare(a, b) {
    if (!validGem(a) || !validGem(b)) throw new UnorderableVersionError(`not a RubyGems version: '${validGem(a) ? b : a}'`);
    return rubySemver.eq(a, b) ? 0 : rubySemver.lt(a, b) ? -1 : 1;
  },
};

const mavenOrder: VersionOrder = { name: 'maven', valid: (version) => version.trim().length > 0, compare: compareMaven };

const nugetOrder: VersionOrder = {
  name: 'nuget',
  valid: (version) => parseNuget(version) !== undefined,
  compare(a, b) {
    try {
      return compareNuget(a, b);
    } catch (error) {
      throw new UnorderableVersionError((error as Error).message);
    }
  },
};

const composerOrder: VersionOrder = {
  name: 'composer',
  valid: (version) => parseComposer(version) !== undefined,
  compare(a, b) {
    try {
      return compareComposer(a, b);
    } catch (error) {
      throw new UnorderableVersionError((error as Error).message);
    }
  },
};

/** Wraps a hand-written comparator so a version it cannot read is an UnorderableVersionError like every other order's. */
function handWritten(name: string, valid: (version: string) => boolean, compare: (a: string, b: string) => number): VersionOrder {
  return {
    name,
    valid,
    compare(a, b) {
      try {
        return compare(a, b);
      } catch (error) {
        throw new UnorderableVersionError((error as Error).message);
      }
    },
  };
}

const debianOrder = handWritten('debian', (version) => parseDebian(version) !== undefined, compareDebian);
const alpineOrder = handWritten('alpine', validAlpine, compareAlpine);
const rpmOrder = handWritten('rpm', validRpm, compareRpm);

const BY_ECOSYSTEM: Record<string, VersionOrder> = {
  npm: semverOrder,
  'crates.io': semverOrder,
  Go: goOrder,
  PyPI: pypiOrder,
  Maven: mavenOrder,
  RubyGems: rubyGemsOrder,
  NuGet: nugetOrder,
  Packagist: composerOrder,
  Debian: debianOrder,
  Alpine: alpineOrder,
  // Ubuntu is dpkg-based, Wolfi and Chainguard are apk-based; their records use those orders' versions.
  Ubuntu: debianOrder,
  Wolfi: alpineOrder,
  Chainguard: alpineOrder,
  AlmaLinux: rpmOrder,
  'Rocky Linux': rpmOrder,
};

/**
 * The order for an OSV range: `SEMVER` ranges use SemVer whatever the ecosystem (Go writes `introduced: 1.21.0-0`,
 * hence the `v` tolerance), `ECOSYSTEM` ranges use the ecosystem's own. Undefined when Vigil has no order for the
 * ecosystem: such ranges cannot be evaluated, only explicit `versions` lists can.
 */
export function orderFor(ecosystem: string, rangeType: string): VersionOrder | undefined {
  const base = baseEcosystem(ecosystem);
  if (rangeType === 'SEMVER') return base === 'Go' ? goOrder : semverOrder;
  if (rangeType === 'ECOSYSTEM') return BY_ECOSYSTEM[base];
  return undefined;
}

export function hasOrder(ecosystem: string): boolean {
  return BY_ECOSYSTEM[baseEcosystem(ecosystem)] !== undefined;
}
