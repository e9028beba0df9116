/**
 * The normalized inventory of released artifacts: every parser (lockfile, SBOM, archive) turns its input into
 * components of this shape, and everything downstream (storage, matching, findings) only sees this.
 */

/** OSV ecosystem names (the part before any ':' suffix such as `Debian:12`). */
export const ECOSYSTEMS = ['npm', 'PyPI', 'Go', 'crates.io', 'Maven', 'RubyGems', 'NuGet', 'Packagist', 'Debian', 'Alpine', 'Ubuntu', 'Wolfi', 'Chainguard', 'AlmaLinux', 'Rocky Linux'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/**
 * Distributions whose advisories are per release (`Debian:12`, `Alpine:v3.18`, `Ubuntu:22.04:LTS`, `AlmaLinux:9`): the
 * same package name and version can be fixed in one release and not in another, so their components carry the release
 * and match only that release's records, compared as whole strings (`Ubuntu:Pro:22.04:LTS` is another stream than
 * `Ubuntu:22.04:LTS`). Wolfi and Chainguard are rolling distributions without releases.
 */
const PER_RELEASE = new Set(['Debian', 'Alpine', 'Ubuntu', 'AlmaLinux', 'Rocky Linux']);

/** An ecosystem as a component carries it: a language ecosystem, or a distribution with its release (`Debian:12`). */
export type ComponentEcosystem = Ecosystem | `${'Debian' | 'Alpine' | 'Ubuntu' | 'AlmaLinux' | 'Rocky Linux'}:${string}`;

export interface ParsedComponent {
  readonly ecosystem: ComponentEcosystem;
  /** As the ecosystem spells it (Maven `group:artifact`, Go module path); PyPI names are PEP 503-normalized. */
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  /** A dependency the artifact declares itself, as opposed to one pulled in by another dependency. */
  readonly direct: boolean;
  /** Package names from the artifact down to this component (the first dependency path found). */
  readonly path: readonly string[];
  /** Where the package was resolved from (registry URL), when the input says so; '' when unknown. */
  readonly registry: string;
}

export interface ParsedFile {
  /** Path inside the artifact (or the file name for a single-file artifact). */
  readonly path: string;
  readonly format: string;
  readonly components: readonly ParsedComponent[];
}

export interface FileParseError {
  readonly path: string;
  readonly reason: string;
}

/** PEP 503: runs of `-`, `_`, `.` become one `-`, lower-cased; OSV keys PyPI packages by this form. */
export function normalizePypiName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The form in which an advisory's package name is indexed and compared. Names are compared the way each registry
 * compares them: PyPI by PEP 503 (`Jinja2` is `jinja2`, `zope.interface` is `zope-interface`), NuGet and Packagist
 * without case (`Newtonsoft.Json` is `newtonsoft.json`, as both registries treat names). Everything else is
 * case-sensitive.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  const base = baseEcosystem(ecosystem);
  if (base === 'PyPI') return normalizePypiName(name);
  return CASELESS_ECOSYSTEMS.includes(base) ? name.trim().toLowerCase() : name;
}

/**
 * Ecosystems whose components keep their name as written (a finding says `Newtonsoft.Json`) but are matched by its
 * lower-case form: the inventory looks them up with `lower(name)` (index from migration 013).
 */
export const CASELESS_ECOSYSTEMS: readonly string[] = ['NuGet', 'Packagist'];

/**
 * The ecosystem under which packages and advisories meet: the base ecosystem (`Maven:https://maven.google.com` is
 * Maven), except for distributions, whose release stays part of it (`Debian:12` never matches a `Debian:11` record).
 */
export function matchEcosystem(ecosystem: string): string {
  const base = baseEcosystem(ecosystem);
  return PER_RELEASE.has(base) ? ecosystem : base;
}

/** OSV ecosystems may carry a suffix (`Debian:12`, `Maven:https://maven.google.com`); ordering rules follow the base. */
export function baseEcosystem(ecosystem: string): string {
  const index = ecosystem.indexOf(':');
  return index < 0 ? ecosystem : ecosystem.slice(0, index);
}

const PURL_TYPES: Record<Ecosystem, string> = {
  Debian: 'deb',
  Alpine: 'apk',
  Ubuntu: 'deb',
  Wolfi: 'apk',
  Chainguard: 'apk',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  'crates.io': 'cargo',
  Maven: 'maven',
  RubyGems: 'gem',
  NuGet: 'nuget',
  Packagist: 'composer',
};

/** The purl namespace (and `distro` qualifier prefix) of each distribution, as syft and trivy write them. */
export const DISTRO_NAMESPACES: Partial<Record<string, string>> = {
  Debian: 'debian',
  Alpine: 'alpine',
  Ubuntu: 'ubuntu',
  Wolfi: 'wolfi',
  Chainguard: 'chainguard',
  AlmaLinux: 'almalinux',
  'Rocky Linux': 'rocky',
};

/** The release number in a distribution ecosystem: `Debian:12` → 12, `Alpine:v3.18` → 3.18, `Ubuntu:Pro:22.04:LTS` → 22.04. */
export function distroRelease(ecosystem: string): string {
  return /:v?(\d+(?:\.\d+)*)/.exec(ecosystem)?.[1] ?? '';
}

/**
 * Builds a package URL. Written by hand because the purl spec's namespace/name split per type is the whole job here
 * (npm scope, Maven group, Go path) and packageurl-js would add a dependency for a one-line encoding.
 */
export function purlOf(ecosystem: ComponentEcosystem, name: string, version: string): string {
  const base = baseEcosystem(ecosystem) as Ecosystem;
  const type = PURL_TYPES[base];
  const namespace = DISTRO_NAMESPACES[base];
  if (namespace) {
    // pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12, pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.18
    const release = distroRelease(ecosystem);
    const distro = release ? `?distro=${namespace}-${encodeURIComponent(release)}` : '';
    return `pkg:${type}/${namespace}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${distro}`;
  }
  let namespaced: string;
  if (ecosystem === 'Maven') {
    const [group, artifact] = name.split(':');
    namespaced = `${encodeURIComponent(group ?? '')}/${encodeURIComponent(artifact ?? '')}`;
  } else if (ecosystem === 'npm' && name.startsWith('@')) {
    const [scope, bare] = name.split('/');
    namespaced = `${encodeURIComponent(scope ?? '')}/${encodeURIComponent(bare ?? '')}`;
  } else if (ecosystem === 'Go' || ecosystem === 'Packagist') {
    namespaced = name.split('/').map(encodeURIComponent).join('/');
  } else {
    namespaced = encodeURIComponent(name);
  }
  return `pkg:${type}/${namespaced}@${encodeURIComponent(version)}`;
}

export function component(
  ecosystem: ComponentEcosystem,
  rawName: string,
  version: string,
  extra: { direct?: boolean; path?: readonly string[]; registry?: string; purl?: string } = {},
): ParsedComponent {
  const name = ecosystem === 'PyPI' ? normalizePypiName(rawName) : rawName;
  return {
    ecosystem,
    name,
    version,
    purl: extra.purl ?? purlOf(ecosystem, name, version),
    direct: extra.direct ?? false,
    path: extra.path ?? [name],
    registry: extra.registry ?? '',
  };
}
