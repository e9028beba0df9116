import { parseSyml } from '@yarnpkg/parsers';
import { parse as parseYaml } from 'yaml';
import { component, type ParsedComponent } from '../model.js';

type Json = Record<string, any>;

/** `https://registry.npmjs.org/a/-/a-1.0.0.tgz` → `https://registry.npmjs.org`; git and file specs keep their scheme. */
export function registryOf(resolved: unknown): string {
  if (typeof resolved !== 'string' || resolved === '') return '';
  try {
    const url = new URL(resolved);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol.replace(/:$/, '');
  } catch {
    return '';
  }
}

/**
 * package-lock.json / npm-shrinkwrap.json, lockfile v1, v2 and v3. v2/v3 list every installed package under
 * `packages` keyed by its node_modules path; dependency paths are found breadth-first from the root's declared
 * dependencies, resolving names the way Node does (nearest node_modules upwards). v1 nests `dependencies`.
 */
export function parsePackageLock(text: string): ParsedComponent[] {
  const lock = JSON.parse(text) as Json;
  if (typeof lock !== 'object' || lock === null) throw new Error('package-lock is not a JSON object');
  if (lock.packages && typeof lock.packages === 'object') return fromPackagesMap(lock.packages as Json);
  if (lock.dependencies && typeof lock.dependencies === 'object') return fromV1(lock.dependencies as Json);
  throw new Error('package-lock has neither "packages" nor "dependencies"');
}

function nameFromKey(key: string): string {
  const index = key.lastIndexOf('node_modules/');
  return key.slice(index + 'node_modules/'.length);
}

function declared(entry: Json | undefined): string[] {
  if (!entry) return [];
  return [entry.dependencies, entry.optionalDependencies, entry.devDependencies, entry.peerDependencies].flatMap((deps) =>
    deps && typeof deps === 'object' ? Object.keys(deps) : [],
  );
}

function fromPackagesMap(packages: Json): ParsedComponent[] {
  const resolveFrom = (fromKey: string, name: string): string | undefined => {
    let base = fromKey;
    for (;;) {
      const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (base === '') return undefined;
      const index = base.lastIndexOf('/node_modules/');
      base = index < 0 ? '' : base.slice(0, index);
    }
  };
  const root = packages[''] as Json | undefined;
  const paths = new Map<string, string[]>();
  const directKeys = new Set<string>();
  const queue: string[] = [];
  for (const name of declared(root)) {
    const key = resolveFrom('', name);
    if (key && !paths.has(key)) {
      paths.set(key, [name]);
      directKeys.add(key);
      queue.push(key);
    }
  }
  while (queue.length > 0) {
    const key = queue.shift()!;
    for (const name of declared(packages[key] as Json)) {
      const child = resolveFrom(key, name);
      if (child && !paths.has(child)) {
        paths.set(child, [...paths.get(key)!, name]);
        queue.push(child);
      }
    }
  }
  const out: ParsedComponent[] = [];
  for (const [key, entry] of Object.entries(packages) as [string, Json][]) {
    if (key === '' || !key.includes('node_modules/') || entry.link || typeof entry.version !== 'string') continue;
    const name = typeof entry.name === 'string' ? entry.name : nameFromKey(key);
    out.push(component('npm', name, entry.version, { direct: directKeys.has(key), path: paths.get(key) ?? [name], registry: registryOf(entry.resolved) }));
  }
  return out;
}

function fromV1(dependencies: Json): ParsedComponent[] {
  const required = new Set<string>();
  const walkRequires = (deps: Json) => {
    for (const entry of Object.values(deps) as Json[]) {
      for (const name of Object.keys(entry.requires ?? {})) required.add(name);
      if (entry.dependencies) walkRequires(entry.dependencies as Json);
    }
  };
  walkRequires(dependencies);
  const out: ParsedComponent[] = [];
  const walk = (deps: Json, parents: string[]) => {
    for (const [name, entry] of Object.entries(deps) as [string, Json][]) {
      if (typeof entry.version !== 'string' || entry.version.startsWith('file:')) continue;
      // v1 has no root entry: a top-level package nobody requires is one the project asked for itself.
      const direct = parents.length === 0 && !required.has(name);
      out.push(component('npm', name, entry.version, { direct, path: [...parents, name], registry: registryOf(entry.resolved) }));
      if (entry.dependencies) walk(entry.dependencies as Json, [...parents, name]);
    }
  };
  walk(dependencies, []);
  return out;
}

/** `@scope/name@npm:^1.0.0, name@^1.2` → `@scope/name`. */
function nameOfDescriptor(descriptor: string): string {
  const first = descriptor.split(',')[0]!.trim();
  const at = first.indexOf('@', first.startsWith('@') ? 1 : 0);
  return at < 0 ? first : first.slice(0, at);
}

/**
 * yarn.lock v1 and Berry (v2+). Both are read with @yarnpkg/parsers' `parseSyml`, which handles the v1 format and the
 * YAML-like Berry format with its `__metadata` block (where `@yarnpkg/lockfile` fails). Berry workspace entries
 * (`@workspace:`) are the project itself and are skipped.
 */
export function parseYarnLock(text: string): ParsedComponent[] {
  const doc = parseSyml(text) as Json;
  const out: ParsedComponent[] = [];
  for (const [descriptor, entry] of Object.entries(doc) as [string, Json][]) {
    if (descriptor === '__metadata' || typeof entry?.version !== 'string') continue;
    const resolution = typeof entry.resolution === 'string' ? entry.resolution : '';
    if (resolution.includes('@workspace:') || descriptor.includes('@workspace:') || descriptor.includes('@link:')) continue;
    const name = nameOfDescriptor(descriptor);
    out.push(component('npm', name, entry.version, { registry: registryOf(entry.resolved) }));
  }
  return dedupe(out);
}

/**
 * pnpm-lock.yaml, lockfile 5.x to 9.x. Package keys are `/name/1.0.0` (5.x), `/name@1.0.0` (6.x) or `name@1.0.0`
 * (9.x), possibly followed by a peer suffix `(react@18.2.0)` or `_react@18.2.0`; importers list the direct ones.
 */
export function parsePnpmLock(text: string): ParsedComponent[] {
  const doc = parseYaml(text) as Json;
  if (!doc || typeof doc !== 'object') throw new Error('pnpm-lock is not a YAML mapping');
  const directNames = new Set<string>();
  const importers: Json[] = doc.importers ? Object.values(doc.importers as Json) : [doc];
  for (const importer of importers) {
    for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const name of Object.keys((importer?.[section] as Json) ?? {})) directNames.add(name);
    }
  }
  const out: ParsedComponent[] = [];
  for (const key of Object.keys((doc.packages as Json) ?? {})) {
    const parsed = parsePnpmKey(key);
    if (!parsed) continue;
    out.push(component('npm', parsed.name, parsed.version, { direct: directNames.has(parsed.name) }));
  }
  return dedupe(out);
}

function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  let bare = key.startsWith('/') ? key.slice(1) : key;
  bare = bare.replace(/\(.*$/, '');
  // 5.x first: `name/1.0.0_peer@2.0.0` has an '@' only in its peer suffix.
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^/]*)$/.exec(bare);
  if (v5) return { name: v5[1]!, version: v5[2]!.split('_')[0]! };
  const at = bare.indexOf('@', bare.startsWith('@') ? 1 : 0);
  if (at > 0) return { name: bare.slice(0, at), version: bare.slice(at + 1).split('_')[0]! };
  // 5.x: /name/1.0.0 or /@scope/name/1.0.0
  const slash = bare.lastIndexOf('/');
  if (slash <= 0) return undefined;
  return { name: bare.slice(0, slash), version: bare.slice(slash + 1).split('_')[0]! };
}

export function dedupe(components: ParsedComponent[]): ParsedComponent[] {
  const seen = new Map<string, ParsedComponent>();
  for (const c of components) {
    const key = `${c.ecosystem}\u0000${c.name}\u0000${c.version}`;
    const previous = seen.get(key);
    if (!previous || (c.direct && !previous.direct)) seen.set(key, c);
  }
  return [...seen.values()];
}
