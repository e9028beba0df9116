import { formatOf } from '../parse/detect.js';
import type { ArtifactFile } from '../parse/artifact.js';
import { httpGet, httpGetBytes } from './http-get.js';
import type { ListedArtifact } from './local-directory.js';

export interface HttpDirectoryOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs: number;
}

/**
 * Links of an HTML directory index (Apache/nginx autoindex, Artifactory's simple browsing). Parsed with a regex on
 * purpose: these pages are one `<a href>` per entry, and an HTML parser would add a dependency for that.
 */
export function indexLinks(html: string): { name: string; dir: boolean }[] {
  const links: { name: string; dir: boolean }[] = [];
  for (const match of html.matchAll(/<a\s[^>]*href="([^"?#]+)"/gi)) {
    const href = decodeURIComponent(match[1]!);
    if (href.startsWith('/') || href.startsWith('..') || href.includes('://') || href === './') continue;
    const dir = href.endsWith('/');
    const name = dir ? href.slice(0, -1) : href;
    if (name.includes('/') || name === '') continue;
    links.push({ name, dir });
  }
  return links;
}

/** A plain HTTP directory laid out like a local source: `<url>/<artifact>/<version>/<files>`. */
export async function listHttpDirectory(options: HttpDirectoryOptions, signal: AbortSignal): Promise<ListedArtifact[]> {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const auth = { timeoutMs: options.timeoutMs, signal, ...(options.username !== undefined ? { username: options.username, password: options.password ?? '' } : {}) };
  const page = async (url: string) => indexLinks(await (await httpGet(url, auth)).text());
  const listed: ListedArtifact[] = [];
  for (const artifact of (await page(base)).filter((l) => l.dir)) {
    const artifactUrl = `${base}${encodeURIComponent(artifact.name)}/`;
    for (const version of (await page(artifactUrl)).filter((l) => l.dir)) {
      const versionUrl = `${artifactUrl}${encodeURIComponent(version.name)}/`;
      listed.push({
        name: artifact.name,
        version: version.name,
        location: versionUrl,
        fetch: async (): Promise<ArtifactFile[]> => {
          const files = (await page(versionUrl)).filter((l) => !l.dir && formatOf(l.name) !== undefined);
          return Promise.all(files.map(async (file) => ({ path: file.name, bytes: await httpGetBytes(`${versionUrl}${encodeURIComponent(file.name)}`, auth) })));
        },
      });
    }
  }
  return listed;
}
