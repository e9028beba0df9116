import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { collect } from './collect-helper.js';
import { TestRepo } from './git-repo.js';
import { synthetic } from './synthetic.js';

const tempDir = useTempDir('vigil-secrets-parallel-');

/** 300 commits × 8 files = 2,400+ blobs (above the thresholds for parallel readers and worker threads), 6 secrets. */
function bigRepo(dir: string): string[] {
  const repo = TestRepo.init(dir);
  const secrets = Array.from({ length: 6 }, (_, i) => synthetic.githubToken(`parallel-${i}`));
  let stream = '';
  for (let c = 1; c <= 300; c++) {
    stream += `commit refs/heads/main\nmark :${c}\ncommitter Dev One <dev1@example.test> ${1_700_000_000 + c * 60} +0000\ndata 10\ncommit ${String(c).padStart(3, "0")}\n`;
    if (c > 1) stream += `from :${c - 1}\n`;
    for (let f = 0; f < 8; f++) {
      const lines = [`// file ${f} version ${c}`, ...Array.from({ length: 40 }, (_, k) => `export const value${k} = ${(c * 31 + k * 7 + f) % 997}; // token bucket ${k}`)];
      // Secrets appear at six points of history; the one added at commit 50 is removed at commit 60.
      const planted = secrets.findIndex((_, i) => c === 50 + i * 40 && f === i % 8);
      if (planted !== -1 || (f === 0 && c >= 50 && c < 60)) lines.push(`const leaked = "${secrets[planted === -1 ? 0 : planted]}";`);
      const body = lines.join('\n') + '\n';
      stream += `M 100644 inline src/f${f}.ts\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
  }
  execFileSync('git', ['-C', repo.dir, 'fast-import', '--quiet'], { input: stream + 'done\n', stdio: ['pipe', 'pipe', 'pipe'] });
  return secrets;
}

describe('secrets.history on a history large enough for parallel readers and worker threads', () => {
  it('finds exactly what the single-threaded path finds', async () => {
    const dir = join(tempDir(), 'big');
    const secrets = bigRepo(dir);
    const serial = await collect({ repos: [{ path: dir, name: 'big' }], scanThreads: 1 });
    const parallel = await collect({ repos: [{ path: dir, name: 'big' }], scanThreads: 2 });
    expect(serial.collected.data.repos[0]!.stats.objectsRead).toBeGreaterThan(2400);
    expect(serial.findings).toHaveLength(secrets.length);
    expect(parallel.findings).toEqual(serial.findings);
    expect(parallel.collected.data.repos[0]!.sightings).toEqual(serial.collected.data.repos[0]!.sightings);
    const first = serial.findings.find((f) => (f.evidence as { firstSeen: { commit: string } }).firstSeen && f.location?.file === 'src/f0.ts')!;
    expect(first.evidence).toMatchObject({ presentAtDefaultBranchTip: false, firstSeen: { path: 'src/f0.ts', line: 42 } });
  }, 120_000);
});

describe('worker threads when git fails', () => {
  it('reject with git’s error instead of hanging or returning a partial result', async () => {
    const { scanInWorkers } = await import('../../../checks/secrets/scan/scan-pool.js');
    const missing = join(tempDir(), 'not-a-repo.git');
    const oids = Array.from({ length: 4 }, (_, i) => String(i).repeat(40));
    await expect(scanInWorkers(missing, [oids.slice(0, 2), oids.slice(2)], { disabledRules: [], stopwords: [] })).rejects.toThrow(/cat-file|git/);
  }, 60_000);
});
