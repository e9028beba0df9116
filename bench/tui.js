#!/usr/bin/env node
// `audit tui` at scale: a ledger with 100,000 findings (plus the small fixture posture), rendered by the real App
// through Ink to an in-memory 160x50 TTY. Reports time to first frame (overview, and the findings list), per-keystroke
// filter latency (key written → next frame written, p50/p95), scrolling latency, and peak RSS.
// Targets from issue 11: first frame <= 500 ms, filter keystroke p95 <= 100 ms, RSS <= 250 MB. Baseline (research
// §4.3, windowed Ink list with a JS filter): 387 ms first frame, 63–101 ms per keystroke, 156 MB.
//
//   node bench/tui.js [--findings 100000]
//
// Needs `npm run build` first. The ledger is seeded in a child process so seeding does not count toward peak memory.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({ options: { findings: { type: 'string', default: '100000' }, 'seed-into': { type: 'string' }, 'no-line-cache': { type: 'boolean', default: false } } });
const count = Number(args.findings);
if (!Number.isInteger(count) || count <= 0) {
  console.error('--findings must be a positive integer');
  process.exit(2);
}

if (args['seed-into']) {
  const { openStore } = await import('../dist/src/store/db.js');
  const { seedBulkFindings, seedSmallPosture } = await import('../dist/tui/examples/fixture.js');
  const db = openStore(args['seed-into']);
  seedSmallPosture(db);
  seedBulkFindings(db, count);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.exit(0);
}

// Ink renders only the last frame when it believes it runs in CI; the benchmark measures interactive rendering.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
// As `audit tui` does: React's production build (it must be set before React loads).
process.env.NODE_ENV ??= 'production';

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tui-'));
const dbPath = join(dir, 'ledger.db');
try {
  const seedStart = performance.now();
  const seeded = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--findings', String(count), '--seed-into', dbPath], { stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the ledger failed');
  const seedMs = performance.now() - seedStart;

  // The whole `audit tui` process on the same ledger, in a real terminal (tmux, 160x50): process start → the overview
  // drawn. Includes Node start-up and module loading, which the in-process numbers below leave out.
  const processFirstFrameMs = measureProcessStart(dbPath);

  const importStart = performance.now();
  const [{ render }, React, { openStore }, { App }, { createTuiData }, { FIXTURE_CATALOG, FIXTURE_NOW }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../dist/src/store/db.js'),
    import('../dist/tui/app.js'),
    import('../dist/tui/data/source.js'),
    import('../dist/tui/examples/fixture.js'),
  ]);
  // As `audit tui` does: one line cache across frames (tui/ink-line-cache.ts). --no-line-cache measures without it.
  const lineCache = args['no-line-cache'] ? false : await (await import('../dist/tui/ink-line-cache.js')).shareInkLineCache();
  const importMs = performance.now() - importStart;

  /** A 160x50 terminal that records when each frame was written. */
  class Terminal extends EventEmitter {
    isTTY = true;
    columns = 160;
    rows = 50;
    frames = 0;
    lastWriteAt = 0;
    waiters = [];
    write(chunk) {
      // Cursor show/hide and erase sequences are not frames: only a write with visible text counts.
      const text = String(chunk).replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
      if (text.trim() === '') return true;
      this.frames += 1;
      this.lastWriteAt = performance.now();
      this.text = text;
      for (const resolve of this.waiters.splice(0)) resolve(this.lastWriteAt);
      return true;
    }
    nextFrame(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no frame within 10 s')), timeoutMs);
        this.waiters.push((at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    }
  }
  class Keyboard extends EventEmitter {
    isTTY = true;
    data = null;
    setEncoding() {}
    setRawMode() {}
    ref() {}
    unref() {}
    resume() {}
    pause() {}
    read() {
      const data = this.data;
      this.data = null;
      return data;
    }
    press(key) {
      this.data = key;
      this.emit('readable');
    }
  }

  const rss = [];
  /** Ink's own time per frame (layout + output buffer), from its onRender hook: the part SQL does not explain. */
  const renderTimes = [];
  /** CPU time this process spent per key: on a shared 2-core box, wall time also counts waiting for a core. */
  let cpuTimes = [];
  const sample = () => rss.push(process.memoryUsage().rss);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function firstFrame(initial) {
    const stdout = new Terminal();
    const stdin = new Keyboard();
    const start = performance.now();
    const db = openStore(dbPath);
    const data = createTuiData(db, { catalog: FIXTURE_CATALOG, dbPath, spawnRun: () => undefined });
    const framed = stdout.nextFrame();
    const app = render(React.createElement(App, { data, actor: 'bench', readOnly: false, now: () => FIXTURE_NOW, pollMs: 0, initial }), {
      stdout,
      stdin,
      stderr: stdout,
      exitOnCtrlC: false,
      patchConsole: false,
      onRender: ({ renderTime }) => renderTimes.push(renderTime),
    });
    const ms = (await framed) - start;
    sample();
    return { ms, stdout, stdin, app, db };
  }

  /** Key written → next frame written, for each key; keys are spaced so Ink's 30 fps throttle takes the leading edge. */
  async function keystrokes(session, keys) {
    const times = [];
    for (const key of keys) {
      await sleep(40);
      const framed = session.stdout.nextFrame();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      session.stdin.press(key);
      times.push((await framed) - start);
      const cpu = process.cpuUsage(cpuStart);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      sample();
    }
    return times;
  }

  const overview = await firstFrame({ screen: 'overview' });
  overview.app.unmount();
  overview.db.close();

  const findings = await firstFrame({ screen: 'findings', query: 'status:active' });
  if (!/filter: status:active [\d,]+\+? findings/.test(findings.stdout.text)) throw new Error(`the findings list did not render its count:\n${findings.stdout.text.slice(0, 600)}`);

  const filterQueries = ['sev:high status:open', 'check:aws.* bucket', 'sev:>=medium -status:resolved token'];
  const filterTimes = [];
  const filterCpu = [];
  /** Every filter keystroke with the filter text it produced, for the slowest-keys line. */
  const perKey = [];
  for (const query of filterQueries) {
    await keystrokes(findings, ['/']);
    // Clear the current filter first (not timed as filtering), then type the query one key at a time.
    await keystrokes(findings, ['\u0015']);
    cpuTimes = [];
    const typed = [...query.split(''), '\u007f', '\u007f'];
    filterTimes.push(...(await keystrokes(findings, typed)));
    filterCpu.push(...cpuTimes);
    typed.forEach((key, i) => perKey.push({ filter: key === '\u007f' ? `${query.slice(0, query.length - (i - query.length + 1))}` : query.slice(0, i + 1), ms: filterTimes.at(i - typed.length), cpuMs: cpuTimes[i] }));
    await keystrokes(findings, ['\r']);
  }
  const filteredText = findings.stdout.text;
  await keystrokes(findings, ['/', '\u0015', '\r']);
  const scrollTimes = await keystrokes(findings, [...Array(10).fill('j'), ...Array(5).fill('\u001B[6~'), 'G', 'g']);
  findings.app.unmount();
  findings.db.close();

  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const sampledPeakMb = Math.max(...rss) / 1024 / 1024;
  const pct = (values, p) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  };
  const result = {
    bench: 'tui',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, load: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))) },
    findings: count,
    terminal: '160x50',
    inkLineCache: lineCache,
    inkLineCacheStatus: lineCache ? (await import('../dist/tui/ink-line-cache.js')).inkLineCacheStatus() : null,
    seedMs: Math.round(seedMs),
    importMs: Math.round(importMs),
    firstFrameMs: { overview: Math.round(overview.ms), findings: Math.round(findings.ms), auditTuiProcess: processFirstFrameMs === undefined ? null : Math.round(processFirstFrameMs) },
    filterKeystrokeCpuMs: { p50: Math.round(pct(filterCpu, 50)), p95: Math.round(pct(filterCpu, 95)) },
    filterKeystrokeMs: { samples: filterTimes.length, p50: Math.round(pct(filterTimes, 50)), p95: Math.round(pct(filterTimes, 95)), max: Math.round(Math.max(...filterTimes)) },
    scrollKeystrokeMs: { samples: scrollTimes.length, p50: Math.round(pct(scrollTimes, 50)), p95: Math.round(pct(scrollTimes, 95)), max: Math.round(Math.max(...scrollTimes)) },
    inkRenderMs: { frames: renderTimes.length, p50: Math.round(pct(renderTimes, 50)), p95: Math.round(pct(renderTimes, 95)) },
    peakRssMb: Math.round(peakRssMb),
    sampledPeakRssMb: Math.round(sampledPeakMb),
    targets: { firstFrameMs: 500, filterP95Ms: 100, rssMb: 250 },
    baseline: { firstFrameMs: 387, keystrokeMs: '63-101', rssMb: 156 },
  };
  const verdict = (value, target) => `${value} (${(value / target).toFixed(2)}x of target ${target}: ${value <= target ? 'met' : 'MISSED'})`;
  console.log(`seeded ${count.toLocaleString('en-US')} findings in ${result.seedMs} ms; module import ${result.importMs} ms; load ${result.machine.load.join(' ')}`);
  console.log(`first frame, overview:  ${verdict(result.firstFrameMs.overview, 500)} ms`);
  console.log(`first frame, findings:  ${verdict(result.firstFrameMs.findings, 500)} ms`);
  console.log(
    processFirstFrameMs === undefined
      ? 'first frame of a whole `audit tui` process: not measured (no tmux on PATH)'
      : `first frame of a whole \`audit tui\` process (node start, imports, open, draw; tmux 160x50): ${Math.round(processFirstFrameMs)} ms`,
  );
  console.log(`filter keystroke p50 ${result.filterKeystrokeMs.p50} ms, p95 ${verdict(result.filterKeystrokeMs.p95, 100)} ms, max ${result.filterKeystrokeMs.max} ms (${filterTimes.length} keys)`);
  console.log(`filter keystroke CPU time p50 ${result.filterKeystrokeCpuMs.p50} ms, p95 ${result.filterKeystrokeCpuMs.p95} ms`);
  const slowest = [...perKey].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 5);
  console.log(`slowest filter keys by CPU: ${slowest.map((k) => `"${k.filter}" ${Math.round(k.cpuMs)} ms cpu/${Math.round(k.ms)} ms wall`).join(', ')}`);
  console.log(`scroll keystroke p50 ${result.scrollKeystrokeMs.p50} ms, p95 ${result.scrollKeystrokeMs.p95} ms, max ${result.scrollKeystrokeMs.max} ms (j, PgDn, G, g)`);
  console.log(`Ink line cache: ${JSON.stringify(result.inkLineCacheStatus)}`);
  console.log(`Ink render per frame p50 ${result.inkRenderMs.p50} ms, p95 ${result.inkRenderMs.p95} ms (${result.inkRenderMs.frames} frames)`);
  console.log(`peak RSS ${verdict(result.peakRssMb, 250)} MB`);
  console.log(`last filtered frame header: ${filteredText.split('\n').find((line) => line.includes('findings') || line.includes('/'))?.trim()}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'tui.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts `audit tui` in a detached tmux session and polls the pane until the overview shows; undefined without tmux. */
function measureProcessStart(ledger) {
  if (spawnSync('tmux', ['-V']).status !== 0) return undefined;
  const socket = `vigil-bench-tui-${process.pid}`;
  const tmux = (...tmuxArgs) => spawnSync('tmux', ['-L', socket, ...tmuxArgs], { encoding: 'utf8' });
  const bin = join(here, '..', 'bin', 'audit.js');
  const start = performance.now();
  tmux('new-session', '-d', '-s', 'bench', '-x', '160', '-y', '50', '-e', 'VIGIL_CONFIG=', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --db ${JSON.stringify(ledger)} tui --read-only; sleep 5`);
  try {
    while (performance.now() - start < 60_000) {
      if ((tmux('capture-pane', '-p', '-t', 'bench').stdout ?? '').includes('Next runs')) return performance.now() - start;
      spawnSync('sleep', ['0.02']);
    }
    throw new Error('audit tui drew nothing within 60 s');
  } finally {
    tmux('kill-server');
  }
}
