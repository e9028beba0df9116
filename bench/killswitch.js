#!/usr/bin/env node
// Kill-switch benchmark: 3 accounts x 17 regions behind the in-repo AWS fake with 100 ms latency per call. Between
// ticks an attacker suspends GuardDuty, stops CloudTrail logging and stops the Config recorder in random regions; each
// tick runs killswitch.guardduty-enabled, killswitch.cloudtrail-logging and killswitch.config-recorder in enforce mode
// through the real runner and recordRun on a real SQLite ledger. The baselines are approved into that ledger (as
// `audit killswitch baseline --approve` does) and read from it on every tick, as the daemon does. Reports time from attack to verified fix (p50, p95),
// read calls per tick, and alerts (outbox `finding.remediated`) per attack. Target: p95 <= tick + 5 s, 1 alert/attack.
//
//   node bench/killswitch.js [--tick-ms 30000] [--ticks 6] [--latency-ms 100] [--attacks-per-tick 3] [--seed 7]
//
// Needs `npm run build` first. The fake is TypeScript under test/fakes/aws; it is transpiled to a temp directory here
// with the TypeScript compiler's transpileModule (no type check), so the bench exercises the same fake as the tests.
// Loopback only.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import guardduty from '../dist/checks/killswitch/guardduty-enabled.js';
import cloudtrail from '../dist/checks/killswitch/cloudtrail-logging.js';
import config from '../dist/checks/killswitch/config-recorder.js';
import members from '../dist/checks/killswitch/guardduty-members.js';
import { createAwsClientFactory } from '../dist/checks/cloud/aws/collect/clients.js';
import { executeRun } from '../dist/jobs/runner.js';
import { silentLogger } from '../dist/src/log.js';
import { openStore } from '../dist/src/store/db.js';
import { recordRun } from '../dist/src/store/record-run.js';
import { approveBaseline, ledgerBaselineReader } from '../dist/src/store/killswitch-baselines.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    'tick-ms': { type: 'string', default: '30000' },
    ticks: { type: 'string', default: '6' },
    'latency-ms': { type: 'string', default: '100' },
    'attacks-per-tick': { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
    // The delegated-admin path: the first account is the organization's GuardDuty administrator; GuardDuty is
    // checked through it alone (killswitch.guardduty-members), and a GuardDuty attack on another account is
    // StopMonitoringMembers on it.
    'guardduty-admin': { type: 'boolean', default: false },
  },
});
const ADMIN_MODE = args['guardduty-admin'];
const TICK_MS = Number(args['tick-ms']);
const TICKS = Number(args.ticks);
const LATENCY_MS = Number(args['latency-ms']);
const ATTACKS_PER_TICK = Number(args['attacks-per-tick']);
let seed = Number(args.seed);
/** Deterministic PRNG (mulberry32) so a run can be repeated. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loadFake() {
  const source = join(here, '..', 'test', 'fakes', 'aws');
  const out = mkdtempSync(join(tmpdir(), 'vigil-bench-fake-'));
  for (const file of readdirSync(source).filter((f) => f.endsWith('.ts'))) {
    const compiled = ts.transpileModule(readFileSync(join(source, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), compiled.outputText);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const mod = await import(pathToFileURL(join(out, 'server.js')).href);
  return { AwsFake: mod.AwsFake, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const { AwsFake, cleanup } = await loadFake();
const fake = await new AwsFake({ latencyMs: LATENCY_MS, pageSize: 50 }).start();
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const bucket = 'bench-trail-logs';
const trails = new Map();
for (const id of ACCOUNTS) {
  fake.world.addAccount(id);
  fake.world.protect(id, { bucket, roleArn: `arn:aws:iam::${id}:role/config`, trailName: 'org-trail', standards: [] });
  // One multi-region trail per account, homed in a random region (StartLogging must go there).
  const trail = fake.world.account(id).trails.get('org-trail');
  fake.world.account(id).trails.delete('org-trail');
  const home = pick(fake.world.enabledRegions(id));
  fake.world.account(id).trails.set('org-trail', { ...trail, homeRegion: home });
  trails.set(id, home);
}
const regionsPerAccount = fake.world.enabledRegions(ACCOUNTS[0]).length;
const clients = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(ACCOUNTS[0]), maxAttempts: 3 });
const accounts = ACCOUNTS.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/vigil-killswitch` }));
const CONCURRENCY = Number(process.env.KS_CONCURRENCY ?? 16);
const features = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];
const baselines = {
  guardduty: { features: features.map((name) => ({ name })) },
  cloudtrail: { trails: ACCOUNTS.map((id) => ({ name: 'org-trail', homeRegion: trails.get(id), s3BucketName: bucket, accounts: [id] })) },
  config: { recorder: { roleARN: 'arn:aws:iam::{account}:role/config' }, deliveryChannel: { s3BucketName: bucket } },
};
const options = { accounts, concurrency: CONCURRENCY, mode: 'enforce' };
const adminOptions = { ...options, accounts: [accounts[0]] };
if (ADMIN_MODE) {
  fake.world.makeGuardDutyAdmin(ACCOUNTS[0]);
  // NEW rather than ALL: with ALL, AWS itself refuses StopMonitoringMembers, so the attacker would have to lower it first.
  for (const region of fake.world.enabledRegions(ACCOUNTS[0])) fake.world.region(ACCOUNTS[0], region).detector.organizationConfiguration.autoEnableOrganizationMembers = 'NEW';
  baselines['guardduty-members'] = { autoEnableOrganizationMembers: 'NEW', memberFeatures: features.map((name) => ({ name })) };
}
const jobs = ADMIN_MODE
  ? [{ check: guardduty, options: adminOptions }, { check: members, options: adminOptions }, { check: cloudtrail, options }, { check: config, options }]
  : [{ check: guardduty, options }, { check: cloudtrail, options }, { check: config, options }];
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ks-'));
const db = openStore(join(dir, 'ledger.db'));
for (const [kind, baseline] of Object.entries(baselines)) approveBaseline(db, { kind, targetId: 'bench', baseline, source: 'file', approvedBy: 'bench' });
const killswitchBaselines = ledgerBaselineReader(db);
const checks = new Map(jobs.map((job) => [job.check.id, job.check]));

/** attack: { kind, account, region, resourceId, checkId, at, fixedAt? } */
const attacks = [];
const ticks = [];
let runCounter = 0;

async function tick(index) {
  const readsBefore = fake.calls.filter((c) => !c.write).length;
  const started = Date.now();
  const results = await Promise.all(
    jobs.map((job) =>
      executeRun(
        { runId: `bench-${++runCounter}`, checkId: job.check.id, targetId: 'bench', trigger: 'schedule', options: job.options, timeoutMs: TICK_MS * 2 },
        { checks: { get: (id) => checks.get(id) }, log: silentLogger, services: { awsClients: clients, killswitchBaselines } },
      ),
    ),
  );
  for (const result of results) {
    if (result.outcome !== 'ok') throw new Error(`${result.checkId} tick ${index}: ${result.outcome} ${result.error ?? JSON.stringify(result.coverage.failed)}`);
    recordRun(db, result, result.finishedAt);
    for (const record of result.remediations ?? []) {
      if (record.outcome !== 'fixed') throw new Error(`remediation failed: ${JSON.stringify(record)}`);
      // Every fix must have been measured against the approved ledger baseline, not a default.
      const finding = result.findings.find((f) => f.resourceId === record.resourceId);
      if (finding?.evidence.baseline?.source !== 'ledger') throw new Error(`fix without the ledger baseline: ${JSON.stringify(finding?.evidence.baseline)}`);
      for (const attack of attacks) if (attack.fixedAt === undefined && attack.resourceId === record.resourceId && attack.at < result.finishedAt) attack.fixedAt = result.finishedAt;
    }
  }
  ticks.push({ index, ms: Date.now() - started, reads: fake.calls.filter((c) => !c.write).length - readsBefore, writes: results.reduce((n, r) => n + (r.remediations?.length ?? 0), 0) });
}

function attack(kind) {
  const account = pick(ACCOUNTS);
  if (kind === 'guardduty' && ADMIN_MODE && account !== ACCOUNTS[0]) {
    const adminRegions = fake.world.enabledRegions(ACCOUNTS[0]).filter((r) => fake.world.region(ACCOUNTS[0], r).detector.members.get(account)?.relationshipStatus === 'Enabled');
    const region = pick(adminRegions);
    // What StopMonitoringMembers does: the relationship pauses and the member's detector stops.
    fake.world.region(ACCOUNTS[0], region).detector.members.get(account).relationshipStatus = 'Disabled';
    fake.world.suspendDetector(account, region);
    return { kind, account, region, checkId: members.id, resourceId: `aws:${account}/${region}/guardduty/membership`, at: Date.now() };
  }
  if (kind === 'guardduty') {
    const region = pick(fake.world.enabledRegions(account).filter((r) => fake.world.region(account, r).detector?.status === 'ENABLED'));
    fake.world.suspendDetector(account, region);
    return { kind, account, region, checkId: guardduty.id, resourceId: `aws:${account}/${region}/guardduty/detector`, at: Date.now() };
  }
  if (kind === 'cloudtrail') {
    if (!fake.world.account(account).trails.get('org-trail').logging) return undefined;
    fake.world.stopLogging(account, 'org-trail');
    return { kind, account, region: trails.get(account), checkId: cloudtrail.id, resourceId: `arn:aws:cloudtrail:${trails.get(account)}:${account}:trail/org-trail`, at: Date.now() };
  }
  const region = pick(fake.world.enabledRegions(account).filter((r) => fake.world.region(account, r).recording));
  fake.world.stopRecorder(account, region);
  return { kind, account, region, checkId: config.id, resourceId: `aws:${account}/${region}/config/recorder`, at: Date.now() };
}

console.log(`killswitch bench: ${ACCOUNTS.length} accounts x ${regionsPerAccount} regions, ${LATENCY_MS} ms per call, tick ${TICK_MS} ms x ${TICKS}, ${ATTACKS_PER_TICK} attacks between ticks${ADMIN_MODE ? ', GuardDuty through the delegated administrator' : ''}`);
const origin = Date.now();
await tick(0);
for (let index = 1; index <= TICKS; index++) {
  const slot = origin + index * TICK_MS;
  // The attacker strikes at random moments inside the interval before the tick.
  const times = Array.from({ length: ATTACKS_PER_TICK }, () => slot - TICK_MS + random() * (TICK_MS - 50)).sort((a, b) => a - b);
  for (const at of times) {
    await sleep(Math.max(0, at - Date.now()));
    const made = attack(pick(['guardduty', 'cloudtrail', 'config']));
    if (made) attacks.push(made);
  }
  await sleep(Math.max(0, slot - Date.now()));
  await tick(index);
}

const latencies = attacks.filter((a) => a.fixedAt !== undefined).map((a) => a.fixedAt - a.at).sort((a, b) => a - b);
const unfixed = attacks.filter((a) => a.fixedAt === undefined);
const remediatedRows = db.prepare(`SELECT o.topic, f.resource_id AS resourceId FROM outbox o JOIN findings f ON f.fingerprint = o.fingerprint WHERE o.topic = 'finding.remediated'`).all();
const alertsPerAttack = attacks.map((a) => remediatedRows.filter((row) => row.resourceId === a.resourceId).length);
// An attack on a resource already attacked earlier reopens the same finding, so alerts per resource = attacks on it.
const attacksPerResource = new Map();
for (const a of attacks) attacksPerResource.set(a.resourceId, (attacksPerResource.get(a.resourceId) ?? 0) + 1);
const exactAlerts = [...attacksPerResource].every(([resourceId, n]) => remediatedRows.filter((row) => row.resourceId === resourceId).length === n);
const steadyTicks = ticks.slice(1);
const reads = steadyTicks.map((t) => t.reads);
const p50 = percentile(latencies, 50);
const p95 = percentile(latencies, 95);
const target = TICK_MS + 5000;
const report = {
  bench: ADMIN_MODE ? 'killswitch --guardduty-admin' : 'killswitch',
  accounts: ACCOUNTS.length,
  regionsPerAccount,
  latencyMsPerCall: LATENCY_MS,
  tickMs: TICK_MS,
  ticks: TICKS,
  attacks: attacks.length,
  attacksByKind: Object.fromEntries(['guardduty', 'cloudtrail', 'config'].map((k) => [k, attacks.filter((a) => a.kind === k).length])),
  attacksByCheck: Object.fromEntries([...new Set(attacks.map((a) => a.checkId))].sort().map((id) => [id, attacks.filter((a) => a.checkId === id).length])),
  unfixed: unfixed.length,
  attackToVerifiedFixMs: { p50, p95, max: latencies.at(-1) },
  targetP95Ms: target,
  p95OverTarget: Number((p95 / target).toFixed(3)),
  tickDurationMs: { p50: percentile(steadyTicks.map((t) => t.ms).sort((a, b) => a - b), 50), max: Math.max(...steadyTicks.map((t) => t.ms)) },
  readCallsPerTick: { min: Math.min(...reads), max: Math.max(...reads), mean: Math.round(reads.reduce((a, b) => a + b, 0) / reads.length) },
  remediatedAlerts: remediatedRows.length,
  alertsPerAttack: Number((remediatedRows.length / Math.max(1, attacks.length)).toFixed(3)),
  exactlyOneAlertPerAttack: exactAlerts && alertsPerAttack.every((n) => n >= 1),
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', ADMIN_MODE ? 'killswitch-guardduty-admin.json' : 'killswitch.json'), `${JSON.stringify({ ...report, at: new Date().toISOString() }, null, 2)}\n`);
db.close();
await fake.close();
cleanup();
rmSync(dir, { recursive: true, force: true });
if (unfixed.length > 0 || !(p95 <= target) || !exactAlerts) {
  console.error(`killswitch bench: target missed (unfixed ${unfixed.length}, p95 ${p95} ms vs ${target} ms, exact alerts ${exactAlerts})`);
  process.exit(1);
}
