import { z } from 'zod';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';
import { formatOf } from '../parse/detect.js';
import type { ArtifactFile } from '../parse/artifact.js';
import { httpGetBytes, httpGetJson } from './http-get.js';
import type { ListedArtifact } from './local-directory.js';

export interface NexusSourceOptions {
  readonly url: string;
  readonly repository: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs: number;
}

const componentsPage = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      group: z.string().nullish(),
      name: z.string(),
      version: z.string().nullish(),
      assets: z.array(z.looseObject({ downloadUrl: z.string(), path: z.string() })).default([]),
    }),
  ),
  continuationToken: z.string().nullish(),
});

/**
 * Nexus Repository 3: `GET /service/rest/v1/components?repository=X` walked with continuation tokens. Each component
 * version is one artifact; only its assets Vigil can read (SBOMs such as `<name>-<version>-cyclonedx.json`, lockfiles)
 * are downloaded, and only for versions the inventory does not hold yet.
 */
export async function listNexus(options: NexusSourceOptions, signal: AbortSignal): Promise<ListedArtifact[]> {
  const base = options.url.replace(/\/$/, '');
  const auth = { timeoutMs: options.timeoutMs, signal, ...(options.username !== undefined ? { username: options.username, password: options.password ?? '' } : {}) };
  const listed: ListedArtifact[] = [];
  let token: string | undefined;
  const seenTokens = new Set<string>();
  do {
    const url = `${base}/service/rest/v1/components?repository=${encodeURIComponent(options.repository)}${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const parsed = componentsPage.safeParse(await httpGetJson(url, auth));
    if (!parsed.success) throw new CollectorUnreachable(`GET ${url}: not a Nexus components page (${parsed.error.issues[0]?.message})`);
    for (const item of parsed.data.items) {
      if (!item.version) continue;
      const readable = item.assets.filter((asset) => formatOf(asset.path.split('/').at(-1) ?? '') !== undefined);
      const name = item.group ? `${item.group}:${item.name}` : item.name;
      listed.push({
        name,
        version: item.version,
        location: `${base}/#browse/browse:${options.repository}:${encodeURIComponent(item.id)}`,
        fetch: async (): Promise<ArtifactFile[]> =>
          Promise.all(readable.map(async (asset) => ({ path: asset.path, bytes: await httpGetBytes(asset.downloadUrl, auth) }))),
      });
    }
    token = parsed.data.continuationToken ?? undefined;
    // A server that hands back a token it already gave would make this loop forever.
    if (token && seenTokens.has(token)) throw new CollectorUnreachable(`Nexus returned continuation token ${token} twice`);
    if (token) seenTokens.add(token);
  } while (token);
  return listed;
}
