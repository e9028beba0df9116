#!/usr/bin/env node
// Outbox delivery at the issue's scale: 10,000 lifecycle events (10 runs x 1,000 new findings, recorded by the real
// recordRun into a SQLite ledger on disk) delivered by the real dispatcher to a webhook receiver on 127.0.0.1 that
// verifies every HMAC signature. Reports events/s, requests, and duplicates (requests whose idempotency key was
// already seen), for: one request per event (concurrency 1 and 8), per-run digests, and a dispatcher abandoned
// mid-flight and restarted (at-least-once: duplicates are bounded by what was in flight, nothing is lost).
// Then Jira: 1,000 findings through ticket sync against a small stateful fake Jira on loopback that drops 5% of
// create answers after committing, answers 2% of creates with 429 Retry-After and lags search 300 ms; every delivery
// is then replayed 3 times. Duplicate creates must be 0.
//
// Baseline: the issue names no tool; the reference is the same 10,000 signed POSTs sent straight from a loop with
// the same concurrency and no ledger (no durability). The ratio reported is dispatcher events/s / raw events/s.
//
//   node bench/outbox.js [--events 10000] [--jira 1000]
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../dist/src/config/schema.js';
import { createDispatcher } from '../dist/src/notify/index.js';
import { signWebhook } from '../dist/src/notify/sinks/webhook.js';
import { silentLogger } from '../dist/src/log.js';
import { openStore } from '../dist/src/store/db.js';
import { outboxCounts } from '../dist/src/store/outbox.js';
import { recordRun } from '../dist/src/store/record-run.js';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '10000' }, jira: { type: 'string', default: '1000' } } });
const EVENTS = Number(args.events);
const JIRA_FINDINGS = Number(args.jira);
const RUNS = 10;
const SECRET = ['bench', 'webhook', 'secret', 'loopback'].join('-');
const dirs = [];

function ledger() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-outbox-'));
  dirs.push(dir);
  return openStore(join(dir, 'vigil.db'));
}

function recordEvents(db, total, runs = RUNS) {
  const perRun = Math.ceil(total / runs);
  let port = 0;
  for (let r = 0; r < runs; r += 1) {
    const findings = [];
    for (let i = 0; i < perRun && port < total; i += 1, port += 1) {
      const host = `10.${(port >> 16) & 255}.${(port >> 8) & 255}.${port & 255}`;
      findings.push({ resourceId: `${host}:443`, scope: `host:${host}`, title: `Unexpected open port 443/tcp on ${host}`, severity: 'medium', evidence: { host, port: 443 }, remediation: 'Close it' });
    }
    recordRun(db, {
      runId: `bench-run-${r}-${Math.random().toString(36).slice(2)}`,
      checkId: 'ports.unexpected-open',
      targetId: 'bench',
      trigger: 'cli',
      outcome: 'ok',
      startedAt: 0,
      finishedAt: 1,
      coverage: { ok: [], failed: [] }, // covers no scope, so one run never resolves another's findings
      findings,
      cursorWrites: {},
    });
  }
}

async function webhookReceiver() {
  const seen = new Map();
  let requests = 0;
  let badSignatures = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests += 1;
      const ts = req.headers['x-vigil-timestamp'];
      if (req.headers['x-vigil-signature'] !== signWebhook(SECRET, Number(ts), body)) badSignatures += 1;
      const key = String(req.headers['x-vigil-delivery'] ?? body.length);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      res.writeHead(200).end('ok');
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/hook`;
  return {
    url,
    stats: () => ({ requests, unique: seen.size, duplicates: requests - seen.size, badSignatures }),
    reset: () => {
      seen.clear();
      requests = 0;
      badSignatures = 0;
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

async function untilDelivered(db, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (outboxCounts(db).pending > 0) {
    if (Date.now() > deadline) throw new Error(`outbox not drained: ${JSON.stringify(outboxCounts(db))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function webhookConfig(url, concurrency, digest) {
  return configSchema.parse({
    notify: { pollInterval: '50ms', baseDelay: '100ms' },
    sinks: { hook: { type: 'webhook', url, secret: SECRET, concurrency, digest } },
    routes: [{ sinks: ['hook'] }],
  });
}

async function phase(receiver, name, concurrency, digest) {
  receiver.reset();
  const db = ledger();
  recordEvents(db, EVENTS);
  const dispatcher = createDispatcher(db, webhookConfig(receiver.url, concurrency, digest), silentLogger);
  const started = performance.now();
  dispatcher.start();
  await untilDelivered(db);
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop();
  const stats = receiver.stats();
  const counts = outboxCounts(db);
  db.close();
  const rate = EVENTS / seconds;
  console.log(`${name.padEnd(34)} ${String(EVENTS).padStart(6)} events in ${seconds.toFixed(2).padStart(6)} s = ${rate.toFixed(0).padStart(6)} events/s; requests ${stats.requests}, duplicates ${stats.duplicates}, bad signatures ${stats.badSignatures}, delivered rows ${counts.delivered}`);
  return { rate, stats };
}

async function rawBaseline(receiver, concurrency) {
  receiver.reset();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < EVENTS) {
      const id = next++;
      const body = JSON.stringify({ id, topic: 'finding.new', event: { finding: { resourceId: `10.0.0.${id}:443` } } });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(receiver.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-vigil-delivery': `raw-${id}`, 'x-vigil-timestamp': String(ts), 'x-vigil-signature': signWebhook(SECRET, ts, body) } });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const rate = EVENTS / seconds;
  console.log(`${`raw fetch loop, no ledger (c=${concurrency})`.padEnd(34)} ${String(EVENTS).padStart(6)} events in ${seconds.toFixed(2).padStart(6)} s = ${rate.toFixed(0).padStart(6)} events/s`);
  return rate;
}

async function crashPhase(receiver) {
  receiver.reset();
  const db = ledger();
  recordEvents(db, EVENTS);
  const config = webhookConfig(receiver.url, 8, false);
  const first = createDispatcher(db, config, silentLogger);
  first.start();
  while (receiver.stats().requests < EVENTS / 2) await new Promise((resolve) => setTimeout(resolve, 5));
  first.abandon(); // as if the process died: in-flight outcomes are never recorded
  const deliveredBefore = outboxCounts(db).delivered;
  const second = createDispatcher(db, config, silentLogger);
  second.start();
  await untilDelivered(db);
  await second.stop();
  const stats = receiver.stats();
  const lost = EVENTS - stats.unique;
  console.log(`abandoned at ${deliveredBefore} delivered, restarted: requests ${stats.requests}, unique ${stats.unique}, lost ${lost}, duplicates ${stats.duplicates} (bounded by the 8 in flight)`);
  db.close();
  return { lost, duplicates: stats.duplicates };
}

// --- Jira ---------------------------------------------------------------------------------------------------------
async function fakeJira({ dropRate, rateLimitRate, lagMs }) {
  const issues = new Map();
  let n = 0;
  let creates = 0;
  let rateLimitedUntil = 0;
  let early = 0;
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const url = new URL(req.url, 'http://jira');
      const send = (status, json) => (res.writeHead(status, { 'content-type': 'application/json' }), res.end(json === undefined ? '' : JSON.stringify(json)));
      if (Date.now() < rateLimitedUntil) {
        early += 1;
        return send(429, {});
      }
      if (req.method === 'POST' && url.pathname === '/rest/api/3/issue') {
        if (random() < rateLimitRate) {
          rateLimitedUntil = Date.now() + 1000;
          res.writeHead(429, { 'retry-after': '1' });
          return res.end('{}');
        }
        creates += 1;
        const key = `SEC-${++n}`;
        issues.set(key, { id: String(n), key, labels: body.fields.labels, status: 'To Do', createdAt: Date.now(), comments: [] });
        if (random() < dropRate) return req.socket.destroy();
        return send(201, { id: String(n), key });
      }
      if (req.method === 'POST' && url.pathname === '/rest/api/3/search/jql') {
        const label = /labels = "([^"]+)"/.exec(body.jql)?.[1];
        const found = [...issues.values()].filter((i) => i.labels.includes(label) && i.createdAt <= Date.now() - lagMs);
        return send(200, { issues: found.map((i) => ({ id: i.id, key: i.key })) });
      }
      const m = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)(\/\w+)?$/.exec(url.pathname);
      const issue = m && issues.get(m[1]);
      if (!issue) return send(404, {});
      const category = issue.status === 'Done' ? 'done' : 'new';
      if (!m[2] && req.method === 'GET') return send(200, { id: issue.id, key: issue.key, fields: { status: { name: issue.status, statusCategory: { key: category } }, labels: issue.labels } });
      if (m[2] === '/transitions' && req.method === 'GET')
        return send(200, { transitions: [issue.status === 'Done' ? { id: '31', name: 'Reopen', to: { name: 'To Do', statusCategory: { key: 'new' } } } : { id: '21', name: 'Resolve', to: { name: 'Done', statusCategory: { key: 'done' } } }] });
      if (m[2] === '/transitions') {
        issue.status = body.transition.id === '21' ? 'Done' : 'To Do';
        return send(204);
      }
      if (m[2] === '/comment' && req.method === 'GET') return send(200, { comments: issue.comments });
      if (m[2] === '/comment') {
        issue.comments.push({ id: String(issue.comments.length + 1), body: body.body });
        return send(201, { id: '1' });
      }
      return send(404, {});
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats: () => {
      const perLabel = new Map();
      for (const issue of issues.values()) {
        const label = issue.labels.find((l) => l.startsWith('vigil-fp-'));
        perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
      }
      const duplicates = [...perLabel.values()].reduce((sum, count) => sum + count - 1, 0);
      const comments = [...issues.values()].reduce((sum, i) => sum + i.comments.length, 0);
      return { creates, issues: issues.size, tickets: perLabel.size, duplicates, early, comments };
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

async function jiraPhase() {
  const jira = await fakeJira({ dropRate: 0.05, rateLimitRate: 0.02, lagMs: 300 });
  const db = ledger();
  recordEvents(db, JIRA_FINDINGS, 4);
  const token = ['bench', 'jira', 'token'].join('-');
  const config = configSchema.parse({
    notify: { pollInterval: '50ms', baseDelay: '100ms', maxDelay: '2s', maxAttempts: 50 },
    jira: { flavor: 'cloud', url: jira.url, email: 'bench@example.test', apiToken: token, project: 'SEC', searchLag: '400ms' },
  });
  const started = performance.now();
  let dispatcher = createDispatcher(db, config, silentLogger);
  dispatcher.start();
  await untilDelivered(db);
  const seconds = (performance.now() - started) / 1000;
  for (let replay = 0; replay < 3; replay += 1) {
    await dispatcher.stop();
    db.prepare(`UPDATE notify_deliveries SET status = 'pending', next_attempt_at = 0 WHERE sink = 'jira'`).run();
    db.prepare(`UPDATE outbox SET status = 'pending'`).run();
    dispatcher = createDispatcher(db, config, silentLogger);
    dispatcher.start();
    await untilDelivered(db);
  }
  await dispatcher.stop();
  const stats = jira.stats();
  console.log(
    `jira: ${JIRA_FINDINGS} findings -> ${stats.tickets} tickets in ${seconds.toFixed(2)} s (${(JIRA_FINDINGS / seconds).toFixed(0)} findings/s, first pass) with 5% lost create answers, 2% 429s, 300 ms search lag; ` +
      `then 3 full replays: creates ${stats.creates}, duplicate creates ${stats.duplicates}, requests before Retry-After ${stats.early}, comments ${stats.comments}`,
  );
  await jira.close();
  db.close();
  return stats;
}

try {
  const receiver = await webhookReceiver();
  console.log(`outbox bench: ${EVENTS} lifecycle events in ${RUNS} runs, webhook receiver on 127.0.0.1 (HMAC verified), Node ${process.version}`);
  const c8 = await phase(receiver, 'dispatcher, event per request c=8', 8, false);
  await phase(receiver, 'dispatcher, digest per run c=1', 1, true);
  const raw8 = await rawBaseline(receiver, 8);
  console.log(`ratio dispatcher/raw at c=8: ${(c8.rate / raw8).toFixed(2)} (the price of durability: one SQLite transaction per delivery)`);
  const crash = await crashPhase(receiver);
  await receiver.close();
  const jira = await jiraPhase();
  const ok = c8.stats.duplicates === 0 && crash.lost === 0 && jira.duplicates === 0 && jira.early === 0 && jira.tickets === JIRA_FINDINGS;
  console.log(ok ? 'PASS: no duplicates without crashes, nothing lost after a crash, 0 duplicate Jira creates' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
