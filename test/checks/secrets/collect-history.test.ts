import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindingInput } from '../../../src/check-api/types.js';
import { collect } from './collect-helper.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-');

const evidence = (finding: FindingInput) => finding.evidence as Record<string, any>;

describe('secrets.history collector on real repositories', () => {
  it('finds secrets committed then deleted, renamed, only in a tag, in a merge, in the stash and in a message, one finding per secret', async () => {
    const repo = TestRepo.init(join(tempDir(), 'app'));
    const gh = synthetic.githubToken('deleted');
    const renamed = synthetic.stripeLive('renamed');
    const tagOnly = synthetic.awsSecret('tag-only');
    const merged = synthetic.slackWebhook('merge');
    const stashed = synthetic.githubToken('stash');
    const inMessage = synthetic.githubToken('message');

    repo.write('README.md', '# app\n').commit('init');
    const added = repo.write('config/app.env', `GITHUB_TOKEN=${gh}\n`).commit('add config');
    repo.remove('config/app.env').commit('remove token');
    repo.write('old/name.py', `STRIPE = "${renamed}"\n`).commit('add stripe');
    repo.rename('old/name.py', 'new/name.py').commit('rename');
    // Only an annotated tag reaches this commit: the branch that carried it is gone.
    repo.git('checkout', '-q', '-b', 'release');
    repo.write('deploy.sh', `export AWS_SECRET_ACCESS_KEY=${tagOnly}\n`).commit('release tweak');
    repo.git('tag', '-a', 'v1', '-m', 'release v1');
    repo.git('checkout', '-q', 'main');
    repo.git('branch', '-D', 'release');
    // An evil merge: the webhook exists only in the merge result, in neither parent.
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.txt', 'feature\n').commit('feature work');
    repo.git('checkout', '-q', 'main');
    repo.write('main.txt', 'main\n').commit('main work');
    repo.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    repo.write('hooks.yaml', `url: ${merged}\n`);
    const merge = repo.commit('merge feature');
    repo.write('wip.txt', `token=${stashed}\n`);
    repo.git('add', 'wip.txt');
    repo.git('stash', 'push', '-q', '-m', 'wip');
    repo.write('notes.txt', 'n\n').commit(`rotate ${inMessage} later`);
    repo.write('still.env', `GH=${gh}\n`).commit('oops again');

    const { collected, findings } = await collect({ repos: [{ path: repo.dir, name: 'app' }], includeReflogs: false });
    expect(collected.coverage.failed).toEqual([]);
    expect(collected.coverage.ok).toEqual(['repo:app']);
    const byRule = (ruleId: string) => findings.filter((f) => evidence(f).rule === ruleId);

    // Same token in two files and commits: one finding, both occurrences, first where it was added, still at tip.
    const ghFindings = byRule('github-token').filter((f) => evidence(f).firstSeen.kind === 'blob');
    expect(ghFindings).toHaveLength(2); // the deleted-then-readded token and the stashed one
    const deleted = ghFindings.find((f) => evidence(f).firstSeen.path === 'config/app.env')!;
    expect(deleted.location).toEqual({ file: 'config/app.env', line: 1, commit: added });
    expect(evidence(deleted).occurrenceCount).toBe(2);
    expect(evidence(deleted).presentAtDefaultBranchTip).toBe(true);
    expect(evidence(deleted).tipPaths).toEqual(['still.env']);
    expect(evidence(deleted).firstSeen).toMatchObject({ author: 'Dev One', email: 'dev1@example.test' });

    const stripe = byRule('stripe-live-key')[0]!;
    expect(evidence(stripe).occurrences.map((o: any) => o.path)).toEqual(['old/name.py', 'new/name.py']);
    expect(byRule('aws-secret-access-key')).toHaveLength(1);
    expect(evidence(byRule('aws-secret-access-key')[0]!).presentAtDefaultBranchTip).toBe(false);
    const webhook = byRule('slack-webhook')[0]!;
    expect(webhook.location).toMatchObject({ file: 'hooks.yaml', commit: merge });
    const stash = ghFindings.find((f) => evidence(f).firstSeen.path === 'wip.txt');
    expect(stash).toBeDefined();
    const message = byRule('github-token').find((f) => evidence(f).firstSeen.kind === 'commit')!;
    expect(evidence(message).firstSeen).toMatchObject({ path: null, line: 6 });

    expect(findings).toHaveLength(6);
    const printed = JSON.stringify(findings);
    for (const raw of [gh, renamed, tagOnly, merged, stashed, inMessage]) expect(printed).not.toContain(raw.slice(4, 20));
  });

  it('does not report placeholders or near-misses, honours vigil:allow, and counts skipped blobs', async () => {
    const repo = TestRepo.init(join(tempDir(), 'clean'));
    repo
      .write('.env.example', 'GITHUB_TOKEN=${GITHUB_TOKEN}\nDB_PASSWORD=changeme\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n')
      .write('app.py', 'password = os.environ["DB_PASSWORD"]\ntoken = get_token()\n')
      .write('fixture.txt', `tok = "${synthetic.githubToken('allowed')}"  # vigil:allow\n`)
      .write('logo.bin', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`key=${synthetic.githubToken('binary')}`)]))
      .write('big.txt', `x=${synthetic.githubToken('big')}\n` + 'y'.repeat(2048))
      .write('node_modules/lib/index.js', `const t = "${synthetic.githubToken('vendored')}";\n`)
      .commit('init');
    const { collected, findings } = await collect({ repos: [{ path: repo.dir, name: 'clean' }], maxBlobBytes: 1024 });
    expect(findings).toEqual([]);
    expect(collected.coverage.skipped).toEqual([
      { scope: 'repo:clean', reason: 'binary blobs', count: 1 },
      { scope: 'repo:clean', reason: 'oversized blobs', count: 1 },
      { scope: 'repo:clean', reason: 'vendored blobs', count: 1 },
    ]);
  });

  it('reports a repository it cannot read as a failed scope, and still scans the others', async () => {
    const good = TestRepo.init(join(tempDir(), 'good'));
    good.write('a.env', `T=${synthetic.githubToken('good')}\n`).commit('a');
    const missing = join(tempDir(), 'not-a-repo');
    const { collected, findings } = await collect({ repos: [{ path: missing, name: 'gone' }, { path: good.dir, name: 'good' }] });
    expect(collected.coverage.ok).toEqual(['repo:good']);
    expect(collected.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([['repo:gone', 'CollectorUnreachable']]);
    expect(findings.map((f) => f.resourceId)).toEqual(['repo:good']);
  });

  it('reads annotated tag messages and attributes them to the tag and its tagger', async () => {
    const repo = TestRepo.init(join(tempDir(), 'tagmsg'));
    repo.write('README.md', '# x\n').commit('init');
    const inTag = synthetic.githubToken('tag-message');
    repo.git('tag', '-a', 'v2', '-m', `release v2\n\nci token was ${inTag}`);
    const { findings } = await collect({ repos: [{ path: repo.dir, name: 'tagmsg' }] });
    expect(findings).toHaveLength(1);
    expect(evidence(findings[0]!).firstSeen).toMatchObject({ kind: 'tag', path: null, author: 'Dev One', commit: repo.git('rev-parse', 'refs/tags/v2') });
    expect(JSON.stringify(findings)).not.toContain(inTag.slice(4));
  });

  it('reads git notes and remote-tracking refs too', async () => {
    const origin = TestRepo.init(join(tempDir(), 'notes-origin'));
    origin.write('README.md', '# x\n').commit('init');
    origin.git('checkout', '-q', '-b', 'upstream-only');
    const remoteOnly = synthetic.stripeLive('remote-tracking');
    origin.write('pay.env', `STRIPE=${remoteOnly}\n`).commit('upstream work');
    origin.git('checkout', '-q', 'main');
    const repo = TestRepo.clone(origin.dir, join(tempDir(), 'notes'));
    const inNote = synthetic.githubToken('note');
    repo.git('notes', 'add', '-m', `deploy with ${inNote}`, 'HEAD');
    const { findings } = await collect({ repos: [{ path: repo.dir, name: 'notes' }] });
    expect(findings.map((f) => evidence(f).rule).sort()).toEqual(['github-token', 'stripe-live-key']);
    // The note blob is attributed to the notes commit that added it; the Stripe key only lives on origin/upstream-only.
    const note = findings.find((f) => evidence(f).rule === 'github-token')!;
    expect(note.location?.commit).toBe(repo.git('rev-parse', 'refs/notes/commits'));
    expect(findings.find((f) => evidence(f).rule === 'stripe-live-key')!.location).toMatchObject({ file: 'pay.env', line: 1 });
  });

  it('pairs an AWS access key id with the secret key in the same file as critical', async () => {
    const repo = TestRepo.init(join(tempDir(), 'aws'));
    repo.write('creds', `[default]\naws_access_key_id = ${synthetic.awsKeyId('pair')}\naws_secret_access_key = ${synthetic.awsSecret('pair')}\n`).commit('creds');
    const { findings } = await collect({ repos: [{ path: repo.dir, name: 'aws' }] });
    const keyId = findings.find((f) => evidence(f).rule === 'aws-access-key-id')!;
    expect(keyId.severity).toBe('critical');
    expect(evidence(keyId).pairedSecret.sha256).toBe(evidence(findings.find((f) => evidence(f).rule === 'aws-secret-access-key')!).secret.sha256);
  });
});
