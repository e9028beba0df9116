import { z } from 'zod';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';
import type { ArtifactFile } from '../parse/artifact.js';
import { httpGetBytes, httpGetJson } from './http-get.js';
import type { ListedArtifact } from './local-directory.js';

export interface NpmRegistryOptions {
  readonly registry: string;
  readonly packages: readonly string[];
  readonly timeoutMs: number;
}

const packument = z.looseObject({
  name: z.string(),
  versions: z.record(z.string(), z.looseObject({ dist: z.looseObject({ tarball: z.string() }) })),
  time: z.record(z.string(), z.string()).optional(),
});

/**
 * Every published version of the named packages, from the full packument (`GET /<name>`, scoped names as
 * `@scope%2fname`; the abbreviated form has no publish times). A version's tarball is downloaded once; what pins its
 * dependencies is the `npm-shrinkwrap.json` inside (a package's own package-lock.json is not published).
 */
export async function listNpmRegistry(options: NpmRegistryOptions, signal: AbortSignal): Promise<ListedArtifact[]> {
  const base = options.registry.replace(/\/$/, '');
  const http = { timeoutMs: options.timeoutMs, signal };
  const listed: ListedArtifact[] = [];
  for (const name of options.packages) {
    // The npm CLI escapes a scoped name's slash as lower-case %2f; registries and proxies are matched on that form.
    const url = `${base}/${name.split('/').map(encodeURIComponent).join('%2f').replace(/^%40/, '@')}`;
    const parsed = packument.safeParse(await httpGetJson(url, http));
    if (!parsed.success) throw new CollectorUnreachable(`GET ${url}: not an npm packument (${parsed.error.issues[0]?.message})`);
    for (const [version, manifest] of Object.entries(parsed.data.versions)) {
      listed.push({
        name,
        version,
        location: manifest.dist.tarball,
        // The tarball itself: the archive reader takes the root npm-shrinkwrap.json (what pins the dependencies) and
        // any bundled node_modules (published inside, so part of the release).
        fetch: async (): Promise<ArtifactFile[]> => [{ path: `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`, bytes: await httpGetBytes(manifest.dist.tarball, http) }],
      });
    }
  }
  return listed;
}
