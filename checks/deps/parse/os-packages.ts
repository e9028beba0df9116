import { component, type ComponentEcosystem, type ParsedComponent } from '../model.js';
import { dedupe } from './npm-lockfiles.js';

/** `12`, `12.4`, `debian-12` → `12` (OSV's `Debian:12`); code names and `sid` have no number and give undefined. */
export function debianRelease(versionId: string): string | undefined {
  return /^(\d+)/.exec(versionId.trim())?.[1];
}

/** `3.18.4`, `v3.18` → `v3.18` (OSV's `Alpine:v3.18`, where the `v` is required); `edge` gives undefined. */
export function alpineRelease(versionId: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(versionId.trim());
  return match ? `v${match[1]}.${match[2]}` : undefined;
}

/** KEY=value lines of os-release(5), quotes removed. */
export function parseOsRelease(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return values;
}

/**
 * Where an image's OS packages meet advisories: the OSV ecosystem (with its release), and the purl namespace and
 * `distro` qualifier syft and trivy write for that distribution.
 */
export interface OsDistribution {
  readonly ecosystem: ComponentEcosystem;
  readonly namespace: string;
  /** `debian-12`, `ubuntu-22.04`; '' for rolling distributions and unknown releases. */
  readonly distro: string;
  /**
   * Ubuntu LTS: the Pro stream (`Ubuntu:Pro:22.04:LTS`) that a package installed from Expanded Security Maintenance
   * belongs to. Those packages carry an `esm` version (`+esm1`, `~esm2`); only Pro records describe them.
   */
  readonly esm?: ComponentEcosystem;
}

export type PackageManager = 'dpkg' | 'apk' | 'rpm';

/** `22.04`, `22.04.3` → `22.04`; anything else has no Ubuntu release number. */
export function ubuntuRelease(versionId: string): string | undefined {
  const match = /^(\d{2})\.(\d{2})(?:\.\d+)?$/.exec(versionId.trim());
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** `9`, `9.4` → `9` (OSV's `AlmaLinux:9`, `Rocky Linux:9`: one ecosystem per major release). */
export function rpmRelease(versionId: string): string | undefined {
  return /^(\d+)(?:\.\d+)*$/.exec(versionId.trim())?.[1];
}

const RPM_DISTRIBUTIONS: Record<string, { base: 'AlmaLinux' | 'Rocky Linux'; namespace: string }> = {
  almalinux: { base: 'AlmaLinux', namespace: 'almalinux' },
  rocky: { base: 'Rocky Linux', namespace: 'rocky' },
};

/**
 * The OSV ecosystem for one package database of an image, from os-release `ID` and `VERSION_ID`; a string (the reason)
 * when Vigil has no ecosystem to match it against, so the database is reported, never matched against another
 * distribution's records (an Ubuntu package is not the Debian package of the same name and version).
 *
 * Ubuntu's ecosystem is `Ubuntu:<YY.MM>` with a mandatory `:LTS` for LTS releases (every even-year `.04` since 6.06),
 * so `Ubuntu:22.04:LTS` and `Ubuntu:24.10`. `Ubuntu:Pro:<YY.MM>:LTS` records describe fixes shipped only through
 * ESM to Pro-attached machines: a plain image cannot install them, and the plain record of the same CVE already
 * reports the package as affected (with no fix, or the archive's fix), so plain packages match only plain records.
 * A package whose version shows it came from ESM is matched against the Pro stream instead (see `esm`).
 */
export function osDistribution(manager: PackageManager, id: string, versionId: string): OsDistribution | string {
  const unknown = `${manager} database of ${id || 'an unknown distribution'}`;
  if (manager === 'dpkg' && id === 'debian') {
    const release = debianRelease(versionId);
    return { ecosystem: release ? `Debian:${release}` : 'Debian', namespace: 'debian', distro: release ? `debian-${release}` : '' };
  }
  if (manager === 'dpkg' && id === 'ubuntu') {
    const release = ubuntuRelease(versionId);
    if (!release) return `${unknown} without a numbered VERSION_ID ('${versionId}'): Ubuntu records are per release`;
    const [year, month] = release.split('.').map(Number) as [number, number];
    const lts = month === 4 && year % 2 === 0;
    return {
      ecosystem: lts ? `Ubuntu:${release}:LTS` : `Ubuntu:${release}`,
      namespace: 'ubuntu',
      distro: `ubuntu-${release}`,
      ...(lts ? { esm: `Ubuntu:Pro:${release}:LTS` as ComponentEcosystem } : {}),
    };
  }
  if (manager === 'apk' && id === 'alpine') {
    const release = alpineRelease(versionId);
    return { ecosystem: release ? `Alpine:${release}` : 'Alpine', namespace: 'alpine', distro: release ? `alpine-${release.slice(1)}` : '' };
  }
  // Rolling: Wolfi's VERSION_ID is a build date, not a release, and OSV's Wolfi and Chainguard ecosystems have none.
  if (manager === 'apk' && id === 'wolfi') return { ecosystem: 'Wolfi', namespace: 'wolfi', distro: '' };
  if (manager === 'apk' && id === 'chainguard') return { ecosystem: 'Chainguard', namespace: 'chainguard', distro: '' };
  const rpm = RPM_DISTRIBUTIONS[id];
  if (manager === 'rpm' && rpm) {
    const release = rpmRelease(versionId);
    if (!release) return `${unknown} without a numbered VERSION_ID ('${versionId}'): ${rpm.base} records are per major release`;
    return { ecosystem: `${rpm.base}:${release}`, namespace: rpm.namespace, distro: `${rpm.namespace}-${release}` };
  }
  if (manager === 'rpm' && id === 'rhel') {
    return `${unknown}: OSV's Red Hat records are per product stream (\`Red Hat:enterprise_linux:9::appstream\`, EUS and other channels), which an image's rpm database does not record`;
  }
  const known = { dpkg: 'Debian and Ubuntu', apk: 'Alpine, Wolfi and Chainguard', rpm: 'AlmaLinux and Rocky Linux' }[manager];
  return `${unknown}: only ${known} releases are matched`;
}

/** The purl of one installed OS package, under the distribution's namespace, with arch and distro qualifiers. */
export function osPackagePurl(type: string, dist: OsDistribution, name: string, version: string, qualifiers: Record<string, string | undefined>): string {
  const query = Object.entries({ ...qualifiers, distro: dist.distro || undefined })
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(value!)}`)
    .join('&');
  return `pkg:${type}/${dist.namespace}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${query ? `?${query}` : ''}`;
}

/** Blank-line separated stanzas of `Key: value` (dpkg) or `K:value` (apk) lines; continuation lines are dropped. */
function stanzas(text: string, separator: RegExp): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(' ') || line.startsWith('\t')) continue;
      const match = separator.exec(line);
      if (match) fields.set(match[1]!, match[2]!.trim());
    }
    if (fields.size > 0) out.push(fields);
  }
  return out;
}

/**
 * dpkg's database (`var/lib/dpkg/status`, or one file per package under `status.d/` in distroless images). Debian
 * advisories are filed under the **source** package and its version (DSA/DLA for `openssl`, not `libssl3`), so each
 * installed binary package becomes a component of its source (`Source: openssl (3.0.11-1~deb12u2)` when the versions
 * differ, e.g. binNMUs); the binary's name is kept in the path and purl. Packages not fully installed are skipped.
 */
export function parseDpkgStatus(text: string, dist: OsDistribution): ParsedComponent[] {
  const out: ParsedComponent[] = [];
  for (const fields of stanzas(text, /^([A-Za-z][A-Za-z0-9-]*):\s?(.*)$/)) {
    const name = fields.get('Package');
    const version = fields.get('Version');
    if (!name || !version) continue;
    const status = fields.get('Status');
    if (status !== undefined && !/\binstalled$/.test(status)) continue;
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
    const sourceVersion = source?.[2] ?? version;
    const ecosystem = dist.esm && /[+~]esm\d/.test(sourceVersion) ? dist.esm : dist.ecosystem;
    out.push(
      component(ecosystem, source?.[1] ?? name, sourceVersion, {
        direct: true,
        path: [name],
        purl: osPackagePurl('deb', dist, name, version, { arch: fields.get('Architecture') }),
      }),
    );
  }
  if (out.length === 0 && !/^Package:/m.test(text)) throw new Error('no "Package:" stanza (not a dpkg status database)');
  return dedupe(out);
}

/**
 * apk's database (`lib/apk/db/installed`): `P:` name, `V:` version, `o:` origin. Alpine's secdb, and so OSV, files
 * advisories under the origin (aport) name, which is what a sub-package such as `libcrypto3` comes from (`openssl`).
 */
export function parseApkInstalled(text: string, dist: OsDistribution): ParsedComponent[] {
  const out: ParsedComponent[] = [];
  for (const fields of stanzas(text, /^([A-Za-z]):(.*)$/)) {
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) continue;
    out.push(
      component(dist.ecosystem, fields.get('o') || name, version, {
        direct: true,
        path: [name],
        purl: osPackagePurl('apk', dist, name, version, { arch: fields.get('A') }),
      }),
    );
  }
  if (out.length === 0 && !/^P:/m.test(text)) throw new Error('no "P:" record (not an apk installed database)');
  return dedupe(out);
}
