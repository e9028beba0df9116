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
export function parseDpkgStatus(text: string, ecosystem: ComponentEcosystem): ParsedComponent[] {
  const release = ecosystem.includes(':') ? ecosystem.slice(ecosystem.indexOf(':') + 1) : '';
  const out: ParsedComponent[] = [];
  for (const fields of stanzas(text, /^([A-Za-z][A-Za-z0-9-]*):\s?(.*)$/)) {
    const name = fields.get('Package');
    const version = fields.get('Version');
    if (!name || !version) continue;
    const status = fields.get('Status');
    if (status !== undefined && !/\binstalled$/.test(status)) continue;
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
    const arch = fields.get('Architecture');
    const qualifiers = [arch ? `arch=${encodeURIComponent(arch)}` : '', release ? `distro=debian-${encodeURIComponent(release)}` : ''].filter(Boolean).join('&');
    out.push(
      component(ecosystem, source?.[1] ?? name, source?.[2] ?? version, {
        direct: true,
        path: [name],
        purl: `pkg:deb/debian/${encodeURIComponent(name)}@${encodeURIComponent(version)}${qualifiers ? `?${qualifiers}` : ''}`,
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
export function parseApkInstalled(text: string, ecosystem: ComponentEcosystem): ParsedComponent[] {
  const release = ecosystem.includes(':') ? ecosystem.slice(ecosystem.indexOf(':') + 2) : '';
  const out: ParsedComponent[] = [];
  for (const fields of stanzas(text, /^([A-Za-z]):(.*)$/)) {
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) continue;
    const arch = fields.get('A');
    const qualifiers = [arch ? `arch=${encodeURIComponent(arch)}` : '', release ? `distro=alpine-${encodeURIComponent(release)}` : ''].filter(Boolean).join('&');
    out.push(
      component(ecosystem, fields.get('o') || name, version, {
        direct: true,
        path: [name],
        purl: `pkg:apk/alpine/${encodeURIComponent(name)}@${encodeURIComponent(version)}${qualifiers ? `?${qualifiers}` : ''}`,
      }),
    );
  }
  if (out.length === 0 && !/^P:/m.test(text)) throw new Error('no "P:" record (not an apk installed database)');
  return dedupe(out);
}
