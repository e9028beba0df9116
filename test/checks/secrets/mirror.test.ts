import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { collect } from './collect-helper.js';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-mirror-');
const servers: GitHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  delete process.env.VIGIL_TEST_GIT_TOKEN;
});

function upstream(root: string): { origin: string; work: TestRepo; token: string } {
  const origin = join(root, 'team', 'api.git');
  TestRepo.init(origin, { bare: true });
  const work = TestRepo.clone(origin, join(root, 'work'));
  const token = synthetic.githubToken(`mirror-${root}`);
  work.write('README.md', '# api\n').commit('init');
  work.git('push', '-q', 'origin', 'main');
  work.git('checkout', '-q', '-b', 'leak');
  work.write('ci.env', `GH_TOKEN=${token}\n`).commit('leak');
  work.git('push', '-q', 'origin', 'leak');
  return { origin, work, token };
}

describe('secrets.history on remote repositories kept as bare mirrors', () => {
  it('mirrors a file:// remote, then follows an upstream branch deletion through fetch --prune', async () => {
    const root = tempDir();
    const { origin, work } = upstream(root);
    const mirrorDir = join(root, 'mirrors');
    const cursor = new Map<string, string>();
    const options = { repos: [{ url: `file://${origin}` }], mirrorDir };

    const first = await collect(options, cursor);
    expect(first.collected.coverage.ok).toEqual([`repo:file://${origin}`]);
    expect(first.findings.map((f) => [f.resourceId, f.location?.file])).toEqual([[`repo:file://${origin}`, 'ci.env']]);
    expect(readdirSync(mirrorDir).filter((name) => name.endsWith('.git'))).toHaveLength(1);

    work.git('push', '-q', 'origin', '--delete', 'leak');
    const second = await collect(options, cursor);
    expect(second.collected.data.repos[0]!.stats).toMatchObject({ mode: 'incremental', refsRewritten: true });
    expect(second.findings).toEqual([]);
  });

  it('fetches over smart HTTP with a token from the environment that never lands on disk', async () => {
    const root = tempDir();
    const { token: leaked } = upstream(root);
    const secretToken = 'test-' + 'token-' + 'value-1234';
    const server = await startGitHttpServer(join(root, 'team'), { user: 'oauth2', token: secretToken });
    servers.push(server);
    const mirrorDir = join(root, 'mirrors');
    const url = `${server.url}/api.git`;

    process.env.VIGIL_TEST_GIT_TOKEN = 'wrong-' + 'token';
    const refused = await collect({ repos: [{ url, name: 'api', tokenEnv: 'VIGIL_TEST_GIT_TOKEN', tokenUser: 'oauth2' }], mirrorDir });
    expect(refused.collected.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([['repo:api', 'CollectorUnreachable']]);
    expect(refused.findings).toEqual([]);

    process.env.VIGIL_TEST_GIT_TOKEN = secretToken;
    const ok = await collect({ repos: [{ url, name: 'api', tokenEnv: 'VIGIL_TEST_GIT_TOKEN', tokenUser: 'oauth2' }], mirrorDir });
    expect(ok.collected.coverage).toMatchObject({ ok: ['repo:api'], failed: [] });
    expect(ok.findings.map((f) => f.location?.file)).toEqual(['ci.env']);
    expect(server.requests.some((r) => r.authorized)).toBe(true);
    const mirror = readdirSync(mirrorDir).find((name) => name.endsWith('.git'))!;
    expect(readFileSync(join(mirrorDir, mirror, 'config'), 'utf8')).not.toContain(secretToken);
    expect(JSON.stringify(ok)).not.toContain(leaked.slice(4));
  });

  it('makes a remote that cannot be fetched a failed scope while other repositories are still scanned', async () => {
    const root = tempDir();
    const { origin } = upstream(root);
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const closedPort = (spare.address() as { port: number }).port;
    await new Promise((resolve) => spare.close(resolve));
    const result = await collect({ repos: [{ url: `http://127.0.0.1:${closedPort}/gone.git`, name: 'gone' }, { path: origin, name: 'local' }], mirrorDir: join(root, 'mirrors') });
    expect(result.collected.coverage.failed.map((f) => f.scope)).toEqual(['repo:gone']);
    expect(result.collected.coverage.ok).toEqual(['repo:local']);
    expect(result.findings.map((f) => f.resourceId)).toEqual(['repo:local']);
  });
});
