import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { runCli } from '../../cli/run-cli.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-cli-');

// Runs the built binary (npm test builds first), the way a CI gate calls it.
describe('audit run secrets.history --target <path>', () => {
  it('works on any local repository with no config, never prints the secret, and keeps one finding across runs', async () => {
    const dir = tempDir();
    const repo = TestRepo.init(join(dir, 'repo'));
    const token = synthetic.githubToken('cli');
    repo.write('a.env', `T=${token}\n`).commit('add');
    repo.remove('a.env').commit('remove');
    const db = join(dir, 'vigil.db');
    const args = ['run', 'secrets.history', '--target', repo.dir, '--db', db, '--format', 'json'];

    const first = await runCli(args);
    expect(first.code).toBe(1);
    const findings = JSON.parse(first.stdout).findings as { status: string; key: string; evidence: { presentAtDefaultBranchTip: boolean } }[];
    expect(findings.map((f) => [f.status, f.evidence.presentAtDefaultBranchTip])).toEqual([['new', false]]);
    expect(first.stdout + first.stderr).not.toContain(token.slice(4));

    repo.write('b.txt', 'unrelated\n').commit('more');
    const second = await runCli([...args.slice(0, -1), 'sarif']);
    expect(second.code).toBe(1);
    const results = JSON.parse(second.stdout).runs[0].results as { baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results.map((r) => [r.baselineState, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([['unchanged', 'a.env']]);
    expect(second.stdout).not.toContain(token.slice(4));
  }, 90_000);

  it('exits 2 with a one-line error when the target is not a repository', async () => {
    const result = await runCli(['run', 'secrets.history', '--target', join(tempDir(), 'nope'), '--no-store']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('is not a git repository')]);
  }, 60_000);
});
