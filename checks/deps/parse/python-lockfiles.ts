import { parse as parseToml } from 'smol-toml';
import { component, normalizePypiName, type ParsedComponent } from '../model.js';
import { dedupe, registryOf } from './npm-lockfiles.js';

type Json = Record<string, any>;

/**
 * requirements.txt with pinned versions (`name==1.2.3`, extras and environment markers allowed, `--hash` options
 * ignored). Unpinned requirements say nothing about what was released, so they are not components.
 */
export function parseRequirements(text: string): ParsedComponent[] {
  const out: ParsedComponent[] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-')) continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,]+)/.exec(line);
    if (!match) continue;
    out.push(component('PyPI', match[1]!, match[2]!, { direct: true }));
  }
  return dedupe(out);
}

/** poetry.lock (TOML `[[package]]`); Poetry does not record which packages are direct. */
export function parsePoetryLock(text: string): ParsedComponent[] {
  const doc = parseToml(text) as Json;
  const packages = (doc.package as Json[] | undefined) ?? [];
  return dedupe(
    packages
      .filter((p) => typeof p.name === 'string' && typeof p.version === 'string' && p.source?.type !== 'directory' && p.source?.type !== 'git')
      .map((p) => component('PyPI', p.name, p.version, { registry: typeof p.source?.url === 'string' ? registryOf(p.source.url) : '' })),
  );
}

/** Pipfile.lock: `default` and `develop` sections of `name: {version: "==1.2.3"}`. */
export function parsePipfileLock(text: string): ParsedComponent[] {
  const doc = JSON.parse(text) as Json;
  const out: ParsedComponent[] = [];
  for (const section of ['default', 'develop']) {
    for (const [name, entry] of Object.entries((doc[section] as Json) ?? {}) as [string, Json][]) {
      const version = typeof entry?.version === 'string' ? entry.version.replace(/^==/, '') : undefined;
      if (version) out.push(component('PyPI', name, version));
    }
  }
  return dedupe(out);
}

/** uv.lock: `[[package]]` with `source.registry`; the project's own package (editable/virtual) names the direct ones. */
export function parseUvLock(text: string): ParsedComponent[] {
  const doc = parseToml(text) as Json;
  const packages = (doc.package as Json[] | undefined) ?? [];
  const own = packages.filter((p) => p.source && (p.source.editable !== undefined || p.source.virtual !== undefined));
  const direct = new Set(own.flatMap((p) => ((p.dependencies as Json[] | undefined) ?? []).map((d) => normalizePypiName(String(d.name)))));
  return dedupe(
    packages
      .filter((p) => !own.includes(p) && typeof p.name === 'string' && typeof p.version === 'string')
      .map((p) =>
        component('PyPI', p.name, p.version, { direct: direct.has(normalizePypiName(p.name)), registry: typeof p.source?.registry === 'string' ? registryOf(p.source.registry) : '' }),
      ),
  );
}
