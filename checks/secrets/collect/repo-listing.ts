import { z } from 'zod';
import type { RepoSpec } from '../options.js';

export interface GithubOrgSource {
  readonly org: string;
  readonly apiUrl: string;
  readonly tokenEnv?: string | undefined;
  readonly includeArchived: boolean;
  readonly includeForks: boolean;
}

export interface GitlabGroupSource {
  readonly group: string;
  readonly apiUrl: string;
  readonly tokenEnv?: string | undefined;
  readonly includeArchived: boolean;
  readonly includeForks: boolean;
  readonly includeSubgroups: boolean;
}

const githubRepo = z.object({ full_name: z.string(), clone_url: z.string(), archived: z.boolean().default(false), fork: z.boolean().default(false) });
const gitlabProject = z.object({
  path_with_namespace: z.string(),
  http_url_to_repo: z.string(),
  archived: z.boolean().default(false),
  forked_from_project: z.unknown().optional(),
});

const MAX_PAGES = 1000;

function token(envName: string | undefined): string | undefined {
  if (envName === undefined) return undefined;
  const value = process.env[envName];
  if (!value) throw new Error(`environment variable ${envName} (tokenEnv) is not set`);
  return value;
}

/** Follows RFC 8288 `Link: <...>; rel="next"` (GitHub, and GitLab's keyset pagination). */
function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

async function getPage(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ body: unknown; response: Response }> {
  const response = await fetch(url, { headers: { Accept: 'application/json', 'User-Agent': 'vigil', ...headers }, signal });
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status} ${response.statusText}`);
  return { body: await response.json(), response };
}

/** Every repository of a GitHub organisation (REST `GET /orgs/{org}/repos`, all pages), as mirror specs. */
export async function listGithubOrg(source: GithubOrgSource, signal: AbortSignal): Promise<RepoSpec[]> {
  const auth = token(source.tokenEnv);
  const headers: Record<string, string> = { 'X-GitHub-Api-Version': '2022-11-28', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) };
  let url: string | undefined = `${source.apiUrl.replace(/\/$/, '')}/orgs/${encodeURIComponent(source.org)}/repos?type=all&per_page=100`;
  const repos: RepoSpec[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { body, response } = await getPage(url, headers, signal);
    for (const repo of z.array(githubRepo).parse(body)) {
      if ((repo.archived && !source.includeArchived) || (repo.fork && !source.includeForks)) continue;
      repos.push({ url: repo.clone_url, name: `github:${repo.full_name}`, tokenUser: 'x-access-token', ...(source.tokenEnv ? { tokenEnv: source.tokenEnv } : {}) });
    }
    url = nextLink(response.headers.get('link'));
  }
  return repos;
}

/** Every project of a GitLab group (REST `GET /groups/{id}/projects`, subgroups optional, all pages). */
export async function listGitlabGroup(source: GitlabGroupSource, signal: AbortSignal): Promise<RepoSpec[]> {
  const auth = token(source.tokenEnv);
  const headers: Record<string, string> = auth ? { 'PRIVATE-TOKEN': auth } : {};
  const base = `${source.apiUrl.replace(/\/$/, '')}/groups/${encodeURIComponent(source.group)}/projects`;
  const query = new URLSearchParams({ per_page: '100', include_subgroups: String(source.includeSubgroups), order_by: 'id', sort: 'asc' });
  if (!source.includeArchived) query.set('archived', 'false');
  let url: string | undefined = `${base}?${query}`;
  const repos: RepoSpec[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { body, response } = await getPage(url, headers, signal);
    for (const project of z.array(gitlabProject).parse(body)) {
      if ((project.archived && !source.includeArchived) || (project.forked_from_project && !source.includeForks)) continue;
      repos.push({ url: project.http_url_to_repo, name: `gitlab:${project.path_with_namespace}`, tokenUser: 'oauth2', ...(source.tokenEnv ? { tokenEnv: source.tokenEnv } : {}) });
    }
    // Offset pagination announces the next page in X-Next-Page (empty on the last); keyset pagination uses Link.
    const nextPage = response.headers.get('x-next-page');
    const link = nextLink(response.headers.get('link'));
    if (link) url = link;
    else if (nextPage) {
      const next: URL = new URL(url);
      next.searchParams.set('page', nextPage);
      url = next.toString();
    } else url = undefined;
  }
  return repos;
}
