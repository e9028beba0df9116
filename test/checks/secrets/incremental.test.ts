import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { executeRun } from '../../../jobs/runner.js';
import { registry } from '../../../checks/registry.js';
import { createLogger } from '../../../src/log.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { listFindings } from '../../../src/store/queries/findings.js';
import { readCursors } from '../../../src/store/queries/runs.js';
import { recordRun } from '../../../src/store/record-run.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { collect } from './collect-helper.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-inc-');
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

interface ScanLog {
  mode: string;
  objectsRead: number;
  refsRewritten: boolean;
}

/** The real pipeline: runner → store, cursors committed with each run, scan stats read from the structured log. */
function pipeline(origin: string, extra: Record<string, unknown> = {}) {
  const db = openStore(join(tempDir(), 'vigil.db'));
  dbs.push(db);
  let run = 0;
  return async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const result = await executeRun(
      { runId: `run-${++run}`, checkId: 'secrets.history', targetId: 'origin', trigger: 'cli', options: { repos: [{ path: origin, name: 'origin' }], ...extra }, timeoutMs: 60_000 },
      { checks: registry, log, readCursors: (checkId, targetId) => readCursors(db, checkId, targetId) },
    );
    expect(result.outcome).toBe('ok');
    recordRun(db, result);
    const scan = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'scanned git history') as ScanLog;
    const status = Object.fromEntries(listFindings(db).map((f) => [(f.evidence.secret as { sha256: string }).sha256.slice(0, 8), f.status]));
    return { scan, status, findings: result.findings };
  };
}

const hash = async (raw: string) => (await import('node:crypto')).createHash('sha256').update(raw).digest('hex').slice(0, 8);

describe('secrets.history incremental rescans on a pushed-to bare repository', () => {
  it('reads nothing when no ref moved, only new objects after commits, and follows branch deletion, re-push and force-push', async () => {
    const dir = tempDir();
    TestRepo.init(join(dir, 'origin.git'), { bare: true });
    const origin = join(dir, 'origin.git');
    const work = TestRepo.clone(origin, join(dir, 'work'));
    const onBranch = synthetic.githubToken('feature');
    const onMain = synthetic.stripeLive('main');
    const [branchKey, mainKey] = [await hash(onBranch), await hash(onMain)];

    work.write('README.md', '# x\n').commit('init');
    work.write('pay.env', `STRIPE=${onMain}\n`).commit('pay');
    work.remove('pay.env').commit('oops, remove');
    work.git('push', '-q', 'origin', 'main');
    work.git('checkout', '-q', '-b', 'feature', 'HEAD~2');
    const featureTip = work.write('gh.env', `T=${onBranch}\n`).commit('feature');
    work.git('push', '-q', 'origin', 'feature');
    work.git('checkout', '-q', 'main');
    const scan = pipeline(origin);

    const first = await scan();
    expect(first.scan).toMatchObject({ mode: 'full', refsRewritten: false });
    expect(first.status).toEqual({ [branchKey]: 'new', [mainKey]: 'new' });

    const unchanged = await scan();
    expect(unchanged.scan).toMatchObject({ mode: 'unchanged', objectsRead: 0 });
    expect(unchanged.status).toEqual({ [branchKey]: 'open', [mainKey]: 'open' });

    work.write('a.txt', 'a\n').commit('a');
    work.write('b.txt', 'b\n').commit('b');
    work.git('push', '-q', 'origin', 'main');
    const incremental = await scan();
    // Two commits, two blobs: the trees are listed but never read.
    expect(incremental.scan).toMatchObject({ mode: 'incremental', objectsRead: 4, refsRewritten: false });
    expect(incremental.status).toEqual({ [branchKey]: 'open', [mainKey]: 'open' });

    work.git('push', '-q', 'origin', '--delete', 'feature');
    const deleted = await scan();
    expect(deleted.scan).toMatchObject({ refsRewritten: true });
    expect(deleted.status).toEqual({ [branchKey]: 'resolved', [mainKey]: 'open' });

    // The same commit becomes reachable again: it is not reachable from the last tips, so it is read again.
    work.git('push', '-q', 'origin', `${featureTip}:refs/heads/feature`);
    const repushed = await scan();
    expect(repushed.status).toEqual({ [branchKey]: 'reopened', [mainKey]: 'open' });

    // Force-push main back to before the Stripe key while a tag still reaches it: still reachable, not lost.
    const leaked = work.git('rev-list', '--max-count=1', '--grep=pay', 'main');
    work.git('tag', 'audit-keep', leaked);
    work.git('push', '-q', 'origin', 'audit-keep');
    work.git('reset', '-q', '--hard', `${leaked}~1`);
    work.git('push', '-q', '--force', 'origin', 'main');
    const forced = await scan();
    expect(forced.scan).toMatchObject({ refsRewritten: true });
    expect(forced.status).toEqual({ [branchKey]: 'open', [mainKey]: 'open' });
    const mainFinding = forced.findings.find((f) => f.key?.startsWith('secret:') && (f.evidence.secret as { sha256: string }).sha256.startsWith(mainKey))!;
    expect(mainFinding.evidence.occurrences).toEqual([expect.objectContaining({ path: 'pay.env', commit: leaked })]);

    work.git('push', '-q', 'origin', '--delete', 'audit-keep');
    const gone = await scan();
    expect(gone.status).toEqual({ [branchKey]: 'open', [mainKey]: 'resolved' });
  });

  it('keeps secrets from deleted branches as unreachable findings when unreachable objects are scanned', async () => {
    const dir = tempDir();
    TestRepo.init(join(dir, 'origin.git'), { bare: true });
    const origin = join(dir, 'origin.git');
    const work = TestRepo.clone(origin, join(dir, 'work'));
    work.write('README.md', '# x\n').commit('init');
    work.git('push', '-q', 'origin', 'main');
    work.git('checkout', '-q', '-b', 'tmp');
    const token = synthetic.githubToken('dangling');
    work.write('t.env', `T=${token}\n`).commit('tmp');
    work.git('push', '-q', 'origin', 'tmp');
    const cursor = new Map<string, string>();
    const options = { repos: [{ path: origin, name: 'origin' }], includeUnreachable: true };
    expect((await collect(options, cursor)).findings.map((f) => f.evidence.reachable)).toEqual([true]);
    work.git('push', '-q', 'origin', '--delete', 'tmp');
    const after = await collect(options, cursor);
    expect(after.findings.map((f) => [f.evidence.reachable, f.evidence.presentAtDefaultBranchTip])).toEqual([[false, false]]);
    expect(after.findings[0]!.location).toMatchObject({ file: 't.env', line: 1 });
    // A fresh scan (no cursor) still finds the dangling blob, though no reachable commit says where it lived.
    const fresh = await collect(options);
    expect(fresh.findings.map((f) => f.evidence.reachable)).toEqual([false]);
    expect(fresh.findings[0]!.location).toEqual({ line: 1 });
  });
});
