#!/usr/bin/env node
// Full 1-65535 connect sweep of 127.0.0.1: Vigil's engine vs `nmap -sT -p- -T4`, same machine, alternating order.
// Both must find the same open set, which must include the 50 listeners started here; exits 1 if not. The one excused
// difference is a foreign port that was not listening both before and after the round (other test runs on a shared box).
//
//   node bench/ports.js [--rounds 5] [--listeners 50] [--engine auto|native|js] [--concurrency N] [--timeout MS]
//
// Needs `npm run build` first (imports the compiled engine). Installs nmap with apt-get if it is missing.
// Loopback only: nothing here sends a packet anywhere but 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SWEEP_DEFAULTS, sweepTcp } from '../dist/checks/ports/collect/tcp-sweep.js';

const TARGET = '127.0.0.1';
const here = dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    listeners: { type: 'string', default: '50' },
    engine: { type: 'string', default: 'auto' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
  },
});
const rounds = positiveInt(args.rounds, '--rounds');
const listenerCount = positiveInt(args.listeners, '--listeners');
const sweepOptions = {
  concurrency: args.concurrency ? positiveInt(args.concurrency, '--concurrency') : SWEEP_DEFAULTS.loopback.concurrency,
  timeoutMs: args.timeout ? positiveInt(args.timeout, '--timeout') : SWEEP_DEFAULTS.loopback.timeoutMs,
  retries: args.retries !== undefined ? Number(args.retries) : SWEEP_DEFAULTS.loopback.retries,
  engine: /** @type {'auto' | 'native' | 'js'} */ (args.engine),
};

function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

function haveNmap() {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensureNmap() {
  if (haveNmap()) return;
  console.log('nmap not found; installing it with apt-get');
  const apt = (...argv) => execFileSync('apt-get', argv, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    apt('install', '-y', 'nmap');
  } catch {
    apt('update'); // a fresh container has no package lists yet
    apt('install', '-y', 'nmap');
  }
  if (!haveNmap()) throw new Error('nmap is still missing after apt-get install');
}

/** Listeners on random free ports 1025-65535 (port 0 would cluster them in the ephemeral range). */
async function startListeners(count) {
  const servers = [];
  const tried = new Set();
  while (servers.length < count) {
    const port = 1025 + Math.floor(Math.random() * (65535 - 1025 + 1));
    if (tried.has(port)) continue;
    tried.add(port);
    const server = createServer((socket) => socket.on('error', () => {}).destroy());
    server.on('error', () => {});
    server.listen({ host: TARGET, port });
    const [event] = await Promise.race([once(server, 'listening').then(() => ['ok']), once(server, 'error')]);
    if (event === 'ok') servers.push(server);
  }
  return servers;
}

async function timeVigil() {
  const started = performance.now();
  const ports = Array.from({ length: 65535 }, (_, i) => i + 1);
  const result = await sweepTcp({ addresses: [TARGET], ports, ...sweepOptions });
  const seconds = (performance.now() - started) / 1000;
  const [sweep] = result.byAddress;
  if (sweep.filtered.length > 0 || sweep.unreachable > 0) {
    console.log(`  vigil: ${sweep.filtered.length} filtered, ${sweep.unreachable} unreachable`);
  }
  return { seconds, open: sweep.open, engine: result.engine, stats: result.stats };
}

async function timeNmap() {
  const started = performance.now();
  const child = spawn('nmap', ['-sT', '-p-', '-T4', '-n', '-Pn', TARGET, '-oG', '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`nmap exited with ${code}`);
  return { seconds, open: parseGrepable(output) };
}

/** `-oG` lines look like `Host: 127.0.0.1 ()\tPorts: 22/open/tcp//ssh///, 80/open/tcp//http///`. */
function parseGrepable(text) {
  const open = [];
  for (const line of text.split('\n')) {
    const ports = /\tPorts: (.*?)(\t|$)/.exec(line)?.[1];
    if (!ports) continue;
    for (const entry of ports.split(', ')) {
      const [port, state] = entry.split('/');
      if (state === 'open') open.push(Number(port));
    }
  }
  return open.sort((a, b) => a - b);
}

/**
 * Ports listening where a connect to 127.0.0.1 lands (127.0.0.1, 0.0.0.0, and :: which may be dual-stack), from the
 * kernel's own table. Other people's test runs open and close loopback listeners all the time on a shared box; a port
 * that was not listening both before and after a round can legitimately be seen by one scanner and not the other.
 */
function listenTable() {
  if (!existsSync('/proc/net/tcp')) return null;
  const reachable = new Set(['0100007F', '00000000', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F']);
  const ports = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [address, port] = local.split(':');
      if (reachable.has(address)) ports.add(Number.parseInt(port, 16));
    }
  }
  return ports;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const diff = (a, b) => a.filter((port) => !b.includes(port));

async function main() {
  ensureNmap();
  const nmapVersion = execFileSync('nmap', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const servers = await startListeners(listenerCount);
  const ours = servers.map((server) => server.address().port).sort((a, b) => a - b);
  console.log(`${listenerCount} listeners on ${TARGET}; ${rounds} rounds; vigil options ${JSON.stringify(sweepOptions)}; ${nmapVersion}`);

  const results = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      // alternate who goes first so neither always gets the warmer (or the more contended) slot
      const vigilFirst = round % 2 === 1;
      const before = listenTable();
      const vigil = vigilFirst ? await timeVigil() : undefined;
      const nmap = await timeNmap();
      const vigilRun = vigil ?? (await timeVigil());
      const after = listenTable();
      const onlyVigil = diff(vigilRun.open, nmap.open);
      const onlyNmap = diff(nmap.open, vigilRun.open);
      // A difference is excused only for a foreign port that came or went during the round; without /proc, none is.
      const transient = [...onlyVigil, ...onlyNmap].filter(
        (port) => before !== null && !ours.includes(port) && !(before.has(port) && after.has(port)),
      );
      const agree = onlyVigil.length + onlyNmap.length === transient.length;
      const missingOurs = [...diff(ours, vigilRun.open), ...diff(ours, nmap.open)];
      results.push({ round, first: vigilFirst ? 'vigil' : 'nmap', vigil: vigilRun, nmap, agree, transient, missingOurs });
      if (onlyVigil.length || onlyNmap.length) {
        console.log(`  round ${round}: only vigil [${onlyVigil}], only nmap [${onlyNmap}]; came or went during the round: [${transient}]`);
      }
      if (missingOurs.length) console.log(`  round ${round}: listeners not found: ${missingOurs}`);
    }
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }

  console.log('\nround  first  vigil s  nmap s  open (vigil/nmap)  same set');
  for (const r of results) {
    console.log(
      `${String(r.round).padStart(5)}  ${r.first.padEnd(5)}  ${r.vigil.seconds.toFixed(2).padStart(7)}  ${r.nmap.seconds.toFixed(2).padStart(6)}  ` +
        `${`${r.vigil.open.length}/${r.nmap.open.length}`.padStart(17)}  ${r.agree && r.missingOurs.length === 0 ? (r.transient.length ? 'yes*' : 'yes') : 'NO'}`,
    );
  }
  const vigilMedian = median(results.map((r) => r.vigil.seconds));
  const nmapMedian = median(results.map((r) => r.nmap.seconds));
  const ratio = vigilMedian / nmapMedian;
  const ok = results.every((r) => r.agree && r.missingOurs.length === 0);
  const engine = results[0].vigil.engine;
  console.log(`\nmedian: vigil (${engine}) ${vigilMedian.toFixed(2)} s, nmap ${nmapMedian.toFixed(2)} s, ratio vigil/nmap ${ratio.toFixed(2)}`);
  const excused = results.reduce((n, r) => n + r.transient.length, 0);
  console.log(
    ok
      ? `open sets: identical in every round, all listeners found${excused ? ` (except ${excused} foreign ports that came or went mid-round)` : ''}`
      : 'open sets: MISMATCH',
  );

  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'ports.json'),
    `${JSON.stringify(
      {
        bench: 'ports',
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version, nmap: nmapVersion },
        target: TARGET,
        listeners: ours,
        vigilOptions: sweepOptions,
        engine,
        rounds: results.map((r) => ({
          round: r.round,
          first: r.first,
          vigilSeconds: r.vigil.seconds,
          nmapSeconds: r.nmap.seconds,
          vigilStats: r.vigil.stats,
          open: r.vigil.open,
          nmapOpen: r.nmap.open,
          agree: r.agree,
          transientForeignPorts: r.transient,
          missingListeners: r.missingOurs,
        })),
        medianSeconds: { vigil: vigilMedian, nmap: nmapMedian },
        ratio,
        ok,
      },
      null,
      2,
    )}\n`,
  );
  process.exitCode = ok ? 0 : 1;
}

await main();
