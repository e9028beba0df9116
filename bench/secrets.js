#!/usr/bin/env node
// secrets.history on a large synthetic repository: Vigil's full scan (every object reachable from every ref) vs the
// floor patch-based scanners pay, `git log -p --all --no-color > /dev/null`, on the same repository; then a rescan with
// no new commits and a rescan after 10 new commits. Reports MB/s, the ratio to the git floor, rescan times, peak RSS.
//
//   node bench/secrets.js [--repo PATH] [--commits 20000] [--rounds 3] [--rebuild]
//
// Without --repo it generates (once, cached under $TMPDIR) a bare repository with --commits commits on main plus
// feature branches merged back, a few unmerged branches, and synthetic secrets planted (and removed) along the way.
// gitleaks/trufflehog cannot be installed here (Go toolchain too old, no Debian/npm package: research/secrets.md §4),
// so the baseline is the git command their scans are built on. Needs `npm run build` first.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    repo: { type: 'string' },
    commits: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    rebuild: { type: 'boolean', default: false },
    scan: { type: 'string' }, // internal: child-process mode, scans this repo once
    cursor: { type: 'string' }, // internal: cursor file for --scan
  },
});

async function main() {
  if (args.scan) {
    await scanOnce(args.scan, args.cursor);
    return;
  }

  const commits = Number(args.commits);
  const rounds = Number(args.rounds);
  const generated = !args.repo;
  const repo = args.repo ?? join(tmpdir(), `vigil-bench-secrets-${commits}.git`);
  let planted = 0;
  if (generated) planted = await ensureRepo(repo, commits, args.rebuild);

  const git = (...argv) => execFileSync('git', ['--git-dir', repo, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  const objectCount = git('count-objects', '-v');
  const blobBytes = Number(git('cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize)').split('\n').filter((l) => l.startsWith('blob ')).reduce((n, l) => n + Number(l.slice(5)), 0));
  const commitCount = Number(git('rev-list', '--all', '--count'));
  console.log(`repo ${repo}: ${commitCount} commits, ${(blobBytes / 1e6).toFixed(0)} MB of blobs uncompressed, ${objectCount.match(/size-pack: (\d+)/)?.[1]} KiB packed`);

  const results = [];
  for (let round = 1; round <= rounds; round++) {
    // Wall and CPU (user+sys of the process tree, from bash's `times`): CPU stays comparable on a busy shared box.
    const floorRun = withTimes(`git --git-dir '${repo}' log -p --all --no-color > /dev/null`);
    const floor = floorRun.seconds;
    const cursorFile = join(tmpdir(), `vigil-bench-secrets-cursor-${process.pid}.json`);
    rmSync(cursorFile, { force: true });
    const full = scanInChild(repo, cursorFile);
    const unchanged = scanInChild(repo, cursorFile);
    results.push({ round, gitLogSeconds: floor, gitLogCpuSeconds: floorRun.cpuSeconds, full, unchanged });
    console.log(
      `round ${round}: git log -p --all ${floor.toFixed(2)} s (cpu ${floorRun.cpuSeconds.toFixed(2)} s) | vigil full ${full.seconds.toFixed(2)} s (cpu ${full.cpuSeconds.toFixed(2)} s, ${full.objectsRead} objects, ${full.findings} findings, ` +
        `peak RSS ${full.maxRssMb} MB) | rescan, no new commits ${unchanged.seconds.toFixed(3)} s`,
    );
    rmSync(cursorFile, { force: true });
  }

  // Rescan after 10 new commits, on a scratch copy so the cached repository stays as generated.
  const scratch = join(tmpdir(), `vigil-bench-secrets-scratch-${process.pid}.git`);
  rmSync(scratch, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', '--bare', '--shared', repo, scratch]);
  execFileSync('git', ['--git-dir', scratch, 'fetch', '-q', repo, '+refs/*:refs/*']);
  const cursorFile = join(tmpdir(), `vigil-bench-secrets-cursor-${process.pid}.json`);
  scanInChild(scratch, cursorFile);
  addCommits(scratch, 10);
  const afterTen = scanInChild(scratch, cursorFile);
  rmSync(scratch, { recursive: true, force: true });
  rmSync(cursorFile, { force: true });
  console.log(`rescan after 10 new commits: ${afterTen.seconds.toFixed(3)} s (${afterTen.objectsRead} objects read)`);

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const gitMedian = median(results.map((r) => r.gitLogSeconds));
  const fullMedian = median(results.map((r) => r.full.seconds));
  const cpuRatio = median(results.map((r) => r.full.cpuSeconds)) / median(results.map((r) => r.gitLogCpuSeconds));
  const summary = {
    bench: 'secrets',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    repo: generated ? { generated: true, commits: commitCount, planted } : { path: repo, commits: commitCount },
    blobMegabytes: Math.round(blobBytes / 1e6),
    gitLogPatchAllSeconds: gitMedian,
    vigilFullScanSeconds: fullMedian,
    ratioToGitFloor: Number((fullMedian / gitMedian).toFixed(3)),
    cpuRatioToGitFloor: Number(cpuRatio.toFixed(3)),
    loadAverage: (await import('node:os')).loadavg()[0],
    megabytesPerSecond: Number((results[0].full.bytesRead / 1e6 / fullMedian).toFixed(1)),
    rescanNoNewCommitsSeconds: median(results.map((r) => r.unchanged.seconds)),
    rescanAfter10CommitsSeconds: afterTen.seconds,
    peakRssMegabytes: Math.max(...results.map((r) => r.full.maxRssMb)),
    findings: results[0].full.findings,
    rounds: results,
  };
  console.log(
    `\nfull scan ${fullMedian.toFixed(2)} s vs git log -p --all ${gitMedian.toFixed(2)} s: ratio ${summary.ratioToGitFloor} wall, ${summary.cpuRatioToGitFloor} cpu (target <= 1.0), ` +
      `${summary.megabytesPerSecond} MB/s of blobs read; rescan no-op ${summary.rescanNoNewCommitsSeconds.toFixed(3)} s, ` +
      `after 10 commits ${afterTen.seconds.toFixed(3)} s (target < 2 s); peak RSS ${summary.peakRssMegabytes} MB (target < 512)`,
  );
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'secrets.json'), JSON.stringify(summary, null, 2) + '\n');
  if (generated && summary.findings < planted) {
    console.error(`expected at least ${planted} findings (planted secrets), got ${summary.findings}`);
    process.exit(1);
  }
}

function timed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function scanInChild(path, cursor) {
  const run = withTimes(`'${process.execPath}' '${fileURLToPath(import.meta.url)}' --scan '${path}' --cursor '${cursor}'`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), cpuSeconds: run.cpuSeconds };
}

/** Runs a shell command; CPU is the children's user+sys that bash's `times` reports (git grandchildren included). */
function withTimes(command) {
  const start = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', `${command}; status=$?; times >&2; exit $status`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  const [user, sys] = lines[lines.length - 1].split(/\s+/).map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? Number(m[1]) * 60 + Number(m[2]) : 0; });
  return { seconds, cpuSeconds: user + sys, stdout: run.stdout };
}

/** Child mode: one collector run with a cursor kept in a file, timed, with this process's peak RSS. */
async function scanOnce(path, cursorPath) {
  const { collectGitHistory } = await import('../dist/checks/secrets/collect/git-history.js');
  const { historyOptions } = await import('../dist/checks/secrets/options.js');
  const { secretFindings } = await import('../dist/checks/secrets/secret-findings.js');
  const { silentLogger } = await import('../dist/src/log.js');
  const cursor = new Map(existsSync(cursorPath) ? Object.entries(JSON.parse(readFileSync(cursorPath, 'utf8'))) : []);
  const options = historyOptions.parse({ repos: [{ path, name: 'bench' }] });
  const start = process.hrtime.bigint();
  const collected = await collectGitHistory({
    checkId: 'secrets.history',
    target: { id: 'bench' },
    options,
    log: silentLogger,
    signal: new AbortController().signal,
    progress: () => {},
    cursor: { get: (key) => cursor.get(key), set: (key, value) => cursor.set(key, value) },
    clock: { now: () => Date.now() },
    services: {},
  });
  const findings = secretFindings(collected.data.repos, options);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (collected.coverage.failed.length) throw new Error(JSON.stringify(collected.coverage.failed));
  writeFileSync(cursorPath, JSON.stringify(Object.fromEntries(cursor)));
  const stats = collected.data.repos[0].stats;
  console.log(JSON.stringify({ seconds, objectsRead: stats.objectsRead, bytesRead: stats.bytesRead, mode: stats.mode, findings: findings.length, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

// ---- synthetic repository ------------------------------------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

const WORDS = 'user order account payment invoice request response handler service config client server value result item list map index count total cache queue event worker retry limit timeout session header body status error message'.split(' ');

function codeLine(r) {
  const w = () => WORDS[Math.floor(r() * WORDS.length)];
  switch (Math.floor(r() * 8)) {
    case 0: return `  const ${w()}${w()[0].toUpperCase()}${w().slice(1)} = await ${w()}.get(${Math.floor(r() * 1000)});`;
    case 1: return `  if (${w()}.${w()} > ${Math.floor(r() * 100)}) return ${w()};`;
    case 2: return `  // TODO: ${w()} ${w()} ${w()} before the ${w()} ${w()}`;
    case 3: return `  log.info({ ${w()}, ${w()} }, '${w()} ${w()} done');`;
    case 4: return `  ${w()}.${w()}(${w()}, { retries: ${Math.floor(r() * 9)}, timeoutMs: ${Math.floor(r() * 9000)} });`;
    case 5: return `export function ${w()}${Math.floor(r() * 999)}(${w()}, ${w()}) {`;
    case 6: return `  const token = session.${w()}Token; // read from the ${w()} store`;
    default: return `  return { ${w()}: ${w()}, ${w()}: '${w()}-${Math.floor(r() * 1e6)}' };`;
  }
}

async function ensureRepo(path, commitCount, rebuild) {
  const marker = join(path, 'vigil-bench-planted');
  if (!rebuild && existsSync(marker)) return Number(readFileSync(marker, 'utf8'));
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path]);
  const { withCrc32Tail } = await import('../dist/checks/secrets/rules/rule.js');
  const r = rng(42);
  const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const randomChars = (n) => Array.from({ length: n }, () => alnum[Math.floor(r() * 62)]).join('');
  const files = Array.from({ length: 300 }, (_, i) => ({ path: `src/module${i % 30}/file${i}.ts`, lines: Array.from({ length: 150 + Math.floor(r() * 900) }, () => codeLine(r)) }));
  const child = spawn('git', ['--git-dir', path, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const closed = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exit ${code}`)))));
  let buffered = [];
  let bufferedBytes = 0;
  const write = async (text) => {
    buffered.push(text);
    bufferedBytes += text.length;
    if (bufferedBytes > 1 << 22) await flush();
  };
  const flush = async () => {
    if (!child.stdin.write(buffered.join(''))) await new Promise((resolve) => child.stdin.once('drain', resolve));
    buffered = [];
    bufferedBytes = 0;
  };
  let mark = 0;
  let time = 1_600_000_000;
  let plantedCount = 0;
  const pendingRemovals = [];
  const commit = async (branch, message, changes, parents = []) => {
    const id = ++mark;
    time += 60;
    let out = `commit refs/heads/${branch}\nmark :${id}\nauthor Bench <bench@example.test> ${time} +0000\ncommitter Bench <bench@example.test> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`;
    parents.forEach((parent, i) => (out += `${i === 0 ? 'from' : 'merge'} :${parent}\n`));
    for (const file of changes) {
      const body = file.lines.join('\n') + '\n';
      out += `M 100644 inline ${file.path}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    await write(out);
    return id;
  };
  const touch = (count) => {
    const changed = [];
    for (let i = 0; i < count; i++) {
      const file = files[Math.floor(r() * files.length)];
      for (let k = 0; k < 3; k++) file.lines[Math.floor(r() * file.lines.length)] = codeLine(r);
      if (r() < 0.3) file.lines.push(codeLine(r));
      changed.push(file);
    }
    return changed;
  };
  let mainTip = await commit('main', 'initial import', files);
  let made = 1;
  while (made < commitCount) {
    if (made % 60 === 0) {
      // A feature branch of 5 commits merged back with --no-ff; every 10th is left unmerged.
      const name = `feature/${made}`;
      let tip = mainTip;
      for (let i = 0; i < 5; i++) tip = await commit(name, `${name} step ${i}`, touch(1), [tip]);
      made += 5;
      if ((made / 60) % 10 !== 0) {
        mainTip = await commit('main', `Merge ${name}`, touch(1), [mainTip, tip]);
        made++;
        await write(`reset refs/heads/${name}\nfrom 0000000000000000000000000000000000000000\n\n`);
      }
      continue;
    }
    const changes = touch(1 + Math.floor(r() * 2));
    if (made % 1000 === 500) {
      const file = changes[0];
      file.lines.splice(5, 0, `  const githubToken = "${withCrc32Tail('gh' + 'p_', randomChars(30))}";`);
      pendingRemovals.push({ file, at: made + 10 });
      plantedCount++;
    }
    for (const removal of pendingRemovals.filter((p) => p.at === made)) {
      removal.file.lines = removal.file.lines.filter((line) => !line.includes('githubToken = "'));
      changes.push(removal.file);
    }
    mainTip = await commit('main', `change ${made}`, changes, [mainTip]);
    made++;
  }
  await write('done\n');
  await flush();
  child.stdin.end();
  await closed;
  // fast-import's pack is not delta-optimised like a clone's; repack so the layout is what a real mirror has.
  execFileSync('git', ['--git-dir', path, 'repack', '-adq', '--window=10']);
  writeFileSync(marker, String(plantedCount));
  return plantedCount;
}

function addCommits(path, count) {
  const tmp = join(tmpdir(), `vigil-bench-secrets-work-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', path, tmp]);
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.test' };
  for (let i = 0; i < count; i++) {
    writeFileSync(join(tmp, `new-${i}.txt`), `change ${i}\n`);
    execFileSync('git', ['-C', tmp, 'add', '-A'], { env });
    execFileSync('git', ['-C', tmp, 'commit', '-qm', `new ${i}`], { env });
  }
  execFileSync('git', ['-C', tmp, 'push', '-q', 'origin', 'main'], { env });
  rmSync(tmp, { recursive: true, force: true });
}

await main();
