import { parse as parseToml } from 'smol-toml';
import semver from 'semver';
import { component, type ParsedComponent } from '../model.js';
import { dedupe } from './npm-lockfiles.js';

type Json = Record<string, any>;

/** go.mod `require` directives (block or single line); `// indirect` marks transitive modules. */
export function parseGoMod(text: string): ParsedComponent[] {
  const out: ParsedComponent[] = [];
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (inBlock && line.startsWith(')')) {
      inBlock = false;
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inBlock = true;
      continue;
    }
    const body = inBlock ? line : /^require\s+(.*)$/.exec(line)?.[1];
    if (!body) continue;
    const match = /^(\S+)\s+(v\S+)(.*)$/.exec(body);
    if (!match) continue;
    out.push(component('Go', match[1]!, match[2]!, { direct: !/\/\/\s*indirect/.test(match[3]!) }));
  }
  return dedupe(out);
}

/**
 * go.sum alone (no go.mod beside it): every module with a content hash, keeping the highest version per module, which
 * is what minimal version selection builds with. go.sum also lists versions whose go.mod was only consulted.
 */
export function parseGoSum(text: string): ParsedComponent[] {
  const highest = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const [module, version] = raw.trim().split(/\s+/);
    if (!module || !version || version.endsWith('/go.mod')) continue;
    const previous = highest.get(module);
    const v = version.replace(/^v/, '');
    if (!previous || (semver.valid(v) && semver.valid(previous.replace(/^v/, '')) && semver.gt(v, previous.replace(/^v/, '')))) highest.set(module, version);
  }
  return [...highest].map(([module, version]) => component('Go', module, version));
}

/** Cargo.lock: registry packages only (path and workspace crates are the artifact itself). */
export function parseCargoLock(text: string): ParsedComponent[] {
  const doc = parseToml(text) as Json;
  const packages = (doc.package as Json[] | undefined) ?? [];
  const own = packages.filter((p) => p.source === undefined);
  const direct = new Set(own.flatMap((p) => ((p.dependencies as string[] | undefined) ?? []).map((d) => d.split(' ')[0]!)));
  return dedupe(
    packages
      .filter((p) => typeof p.source === 'string' && typeof p.name === 'string' && typeof p.version === 'string')
      .map((p) => component('crates.io', p.name, p.version, { direct: direct.has(p.name), registry: String(p.source).replace(/^registry\+/, '') })),
  );
}

/** Gemfile.lock: `specs:` entries at four spaces under GEM sections; DEPENDENCIES lists the direct gems. */
export function parseGemfileLock(text: string): ParsedComponent[] {
  const lines = text.split(/\r?\n/);
  const direct = new Set<string>();
  const found: { name: string; version: string; remote: string }[] = [];
  let section = '';
  let remote = '';
  for (const line of lines) {
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      remote = '';
      continue;
    }
    const remoteMatch = /^ {2}remote: (\S+)/.exec(line);
    if (remoteMatch) remote = remoteMatch[1]!;
    if (section === 'GEM') {
      const spec = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(line);
      if (spec) found.push({ name: spec[1]!, version: spec[2]!.replace(/-[a-z0-9_]+(-[a-z0-9_]+)*$/i, (platform) => (/^-\d/.test(platform) ? platform : '')), remote });
    } else if (section === 'DEPENDENCIES') {
      const dep = /^ {2}([^\s(!]+)/.exec(line);
      if (dep) direct.add(dep[1]!);
    }
  }
  return dedupe(found.map((g) => component('RubyGems', g.name, g.version, { direct: direct.has(g.name), registry: g.remote.replace(/\/$/, '') })));
}

/** composer.lock: `packages` and `packages-dev`. */
export function parseComposerLock(text: string): ParsedComponent[] {
  const doc = JSON.parse(text) as Json;
  const packages = [...((doc.packages as Json[] | undefined) ?? []), ...((doc['packages-dev'] as Json[] | undefined) ?? [])];
  return dedupe(packages.filter((p) => typeof p.name === 'string' && typeof p.version === 'string').map((p) => component('Packagist', p.name, p.version.replace(/^v/, ''))));
}

/** gradle.lockfile: `group:artifact:version=configurations`. */
export function parseGradleLockfile(text: string): ParsedComponent[] {
  const out: ParsedComponent[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const match = /^([^:\s]+):([^:\s]+):([^=\s]+)=/.exec(line);
    if (match) out.push(component('Maven', `${match[1]}:${match[2]}`, match[3]!));
  }
  return dedupe(out);
}

/** NuGet packages.lock.json: per target framework, `type` Direct / Transitive / Project. */
export function parseNugetLock(text: string): ParsedComponent[] {
  const doc = JSON.parse(text) as Json;
  const out: ParsedComponent[] = [];
  for (const framework of Object.values((doc.dependencies as Json) ?? {}) as Json[]) {
    for (const [name, entry] of Object.entries(framework ?? {}) as [string, Json][]) {
      if (entry?.type === 'Project' || typeof entry?.resolved !== 'string') continue;
      out.push(component('NuGet', name, entry.resolved, { direct: entry.type === 'Direct' }));
    }
  }
  return dedupe(out);
}

/** `META-INF/maven/<group>/<artifact>/pom.properties` inside a Java archive: the library that archive is. */
export function parsePomProperties(text: string): ParsedComponent[] {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z]+)\s*[=:]\s*(.*?)\s*$/.exec(raw);
    if (match && !raw.trimStart().startsWith('#')) values.set(match[1]!, match[2]!);
  }
  const group = values.get('groupId');
  const artifact = values.get('artifactId');
  const version = values.get('version');
  if (!group || !artifact || !version) throw new Error('pom.properties lacks groupId, artifactId or version');
  return [component('Maven', `${group}:${artifact}`, version)];
}

/** A wheel's `*.dist-info/METADATA`: the distribution that wheel is (Name and Version headers). */
export function parseWheelMetadata(text: string): ParsedComponent[] {
  const name = /^Name:\s*(\S+)\s*$/m.exec(text)?.[1];
  const version = /^Version:\s*(\S+)\s*$/m.exec(text)?.[1];
  if (!name || !version) throw new Error('METADATA lacks Name or Version');
  return [component('PyPI', name, version)];
}
