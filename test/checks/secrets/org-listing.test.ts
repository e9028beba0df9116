import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { collect } from './collect-helper.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-org-');
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  delete process.env.VIGIL_TEST_API_TOKEN;
});

/** A loopback server speaking the paginated shape of the GitHub and GitLab REST APIs, two items per page. */
async function apiServer(route: (req: IncomingMessage, url: URL) => { status?: number; body: unknown; headers?: Record<string, string> }): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(`${req.headers.authorization ?? req.headers['private-token'] ?? '-'} ${url.pathname}${url.search}`);
    const answer = route(req, url);
    res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

function bareRepoWithSecret(root: string, name: string, seed: string): string {
  const origin = join(root, `${name}.git`);
  TestRepo.init(origin, { bare: true });
  const work = TestRepo.clone(origin, join(root, `work-${name}`));
  work.write('app.env', `T=${synthetic.githubToken(seed)}\n`).commit('add');
  work.git('push', '-q', 'origin', 'main');
  return `file://${origin}`;
}

describe('secrets.history over whole organisations and groups', () => {
  it('lists a GitHub organisation page by page (Link rel=next), skips archived and forked repositories, and scans the rest', async () => {
    const root = tempDir();
    const repos = [
      { full_name: 'acme/api', clone_url: bareRepoWithSecret(root, 'api', 'gh-api'), archived: false, fork: false },
      { full_name: 'acme/web', clone_url: bareRepoWithSecret(root, 'web', 'gh-web'), archived: false, fork: false },
      { full_name: 'acme/old', clone_url: 'file:///nonexistent/old.git', archived: true, fork: false },
      { full_name: 'acme/fork', clone_url: 'file:///nonexistent/fork.git', archived: false, fork: true },
    ];
    const api = await apiServer((req, url) => {
      if (req.headers.authorization !== 'Bearer gh-' + 'api-token') return { status: 401, body: { message: 'Bad credentials' } };
      const page = Number(url.searchParams.get('page') ?? '1');
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      return { body: repos.slice((page - 1) * 2, page * 2), headers: page < 2 ? { Link: `<${apiBase}${next.pathname}${next.search}>; rel="next"` } : {} };
    });
    const apiBase = api.base;
    process.env.VIGIL_TEST_API_TOKEN = 'gh-' + 'api-token';
    const { collected, findings } = await collect({ githubOrgs: [{ org: 'acme', apiUrl: api.base, tokenEnv: 'VIGIL_TEST_API_TOKEN' }], mirrorDir: join(root, 'mirrors') });
    expect(api.seen).toEqual(['Bearer gh-api-token /orgs/acme/repos?type=all&per_page=100', 'Bearer gh-api-token /orgs/acme/repos?type=all&per_page=100&page=2']);
    expect(collected.coverage.ok).toEqual(['github-org:acme', 'repo:github:acme/api', 'repo:github:acme/web']);
    expect(findings.map((f) => f.resourceId).sort()).toEqual(['repo:github:acme/api', 'repo:github:acme/web']);
  });

  it('lists a GitLab group with subgroups through X-Next-Page', async () => {
    const root = tempDir();
    const projects = [
      { path_with_namespace: 'acme/platform/api', http_url_to_repo: bareRepoWithSecret(root, 'gl-api', 'gl-api'), archived: false },
      { path_with_namespace: 'acme/platform/forked', http_url_to_repo: 'file:///nonexistent/f.git', archived: false, forked_from_project: { id: 1 } },
      { path_with_namespace: 'acme/platform/sub/tool', http_url_to_repo: bareRepoWithSecret(root, 'gl-tool', 'gl-tool'), archived: false },
    ];
    const api = await apiServer((req, url) => {
      if (req.headers['private-token'] !== 'gl-' + 'token') return { status: 401, body: { message: '401 Unauthorized' } };
      const page = Number(url.searchParams.get('page') ?? '1');
      return { body: projects.slice((page - 1) * 2, page * 2), headers: { 'X-Next-Page': page < 2 ? String(page + 1) : '' } };
    });
    process.env.VIGIL_TEST_API_TOKEN = 'gl-' + 'token';
    const { collected, findings } = await collect({ gitlabGroups: [{ group: 'acme/platform', apiUrl: `${api.base}/api/v4`, tokenEnv: 'VIGIL_TEST_API_TOKEN' }], mirrorDir: join(root, 'mirrors') });
    expect(api.seen[0]).toBe('gl-token /api/v4/groups/acme%2Fplatform/projects?per_page=100&include_subgroups=true&order_by=id&sort=asc&archived=false');
    expect(api.seen).toHaveLength(2);
    expect(collected.coverage.failed).toEqual([]);
    expect(findings.map((f) => f.resourceId).sort()).toEqual(['repo:gitlab:acme/platform/api', 'repo:gitlab:acme/platform/sub/tool']);
  });

  it('makes the organisation a failed scope when its listing fails, so the run is partial', async () => {
    const api = await apiServer(() => ({ status: 502, body: { message: 'bad gateway' } }));
    const { collected } = await collect({ githubOrgs: [{ org: 'acme', apiUrl: api.base }], mirrorDir: join(tempDir(), 'mirrors') });
    expect(collected.coverage.failed).toEqual([{ scope: 'github-org:acme', error: { name: 'CollectorUnreachable', message: 'listing repositories failed: GET /orgs/acme/repos answered 502 Bad Gateway' } }]);
  });
});
