import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Small artifacts and OSV records written at test time; the real 8,000-record data set belongs to bench/ only. */
export function writeFile(path: string, content: string | object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

export function packageLockV3(root: Record<string, string>, packages: Record<string, { version: string; dependencies?: Record<string, string>; resolved?: string }>): object {
  return {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: root },
      ...Object.fromEntries(
        Object.entries(packages).map(([key, p]) => [key, { version: p.version, resolved: p.resolved ?? `https://registry.npmjs.org/${key.split('node_modules/').at(-1)}/-/x-${p.version}.tgz`, ...(p.dependencies ? { dependencies: p.dependencies } : {}) }]),
      ),
    },
  };
}

export interface AdvisorySpec {
  id: string;
  ecosystem: string;
  name: string;
  events: Record<string, string>[];
  aliases?: string[];
  modified?: string;
  withdrawn?: string;
  severity?: string;
  type?: 'SEMVER' | 'ECOSYSTEM';
}

export function osv(spec: AdvisorySpec): object {
  return {
    id: spec.id,
    modified: spec.modified ?? '2026-01-01T00:00:00Z',
    ...(spec.withdrawn ? { withdrawn: spec.withdrawn } : {}),
    aliases: spec.aliases ?? [],
    summary: `test advisory ${spec.id}`,
    ...(spec.severity ? { database_specific: { severity: spec.severity } } : {}),
    affected: [{ package: { ecosystem: spec.ecosystem, name: spec.name }, ranges: [{ type: spec.type ?? (spec.ecosystem === 'PyPI' ? 'ECOSYSTEM' : 'SEMVER'), events: spec.events }] }],
  };
}

export function writeAdvisory(dir: string, spec: AdvisorySpec): void {
  writeFile(join(dir, spec.ecosystem, `${spec.id}.json`), osv(spec));
}
