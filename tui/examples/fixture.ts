import type { FindingInput, Severity } from '../../src/check-api/types.js';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import type { Db } from '../../src/store/db.js';
import { setDecision } from '../../src/store/decisions.js';
import { recordRun } from '../../src/store/record-run.js';
import type { RunResult } from '../../src/runs/run-result.js';
import type { CheckMetaLite } from '../data/checks.js';

/**
 * Fixture posture for the examples, the tests and the benchmark. The small ledger goes through the real recorder, so
 * statuses, events and outbox rows are what a daemon would have written; the bulk one inserts rows directly, because
 * recording 100k findings through the lifecycle would make the benchmark measure the recorder.
 */
export const FIXTURE_NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const FIXTURE_CATALOG: readonly CheckMetaLite[] = [
  { id: 'aws.iam.root-mfa', title: 'Root account has MFA enabled', area: 'aws', severity: 'critical' },
  { id: 'aws.s3.public-access-block', title: 'S3 account-level public access block is on', area: 'aws', severity: 'high' },
  { id: 'dns.dangling-cname', title: 'No CNAME points at an unclaimed resource', area: 'dns', severity: 'high' },
  { id: 'ports.unexpected-open', title: 'Only expected TCP ports are open', area: 'ports', severity: 'medium' },
  { id: 'secrets.history', title: 'No live secrets in git history', area: 'secrets', severity: 'high' },
];

function run(checkId: string, targetId: string, at: number, findings: FindingInput[], extra: Partial<RunResult> = {}): RunResult {
  return {
    runId: `run-${checkId}-${targetId}-${at}`,
    checkId,
    targetId,
    trigger: 'schedule',
    outcome: 'ok',
    startedAt: at,
    finishedAt: at + 4_200,
    coverage: { ok: [targetId], failed: [] },
    findings,
    cursorWrites: {},
    ...extra,
  };
}

function port(host: string, number: number, severity: Severity = 'medium'): FindingInput {
  return {
    resourceId: `${host}:${number}`,
    scope: `host:${host}`,
    title: `Unexpected open port ${number}/tcp on ${host}`,
    severity,
    evidence: { address: host, port: number, banner: number === 6379 ? 'redis' : 'unknown' },
    location: { host, port: number },
    remediation: 'Close the port or add it to the expected list with a reason.',
  };
}

/** A dozen findings across checks, with a resolved one, a reopened one, a muted one, a partial and a failed run. */
export function seedSmallPosture(db: Db, now = FIXTURE_NOW): void {
  const hosts = { coverage: { ok: ['host:10.0.0.5', 'host:10.0.0.7', 'host:10.0.0.8', 'host:10.0.0.9'], failed: [] } };
  const ports3 = [port('10.0.0.5', 6379, 'high'), port('10.0.0.5', 8080), port('10.0.0.7', 23, 'critical'), port('10.0.0.9', 5432, 'high')];
  recordRun(db, run('ports.unexpected-open', 'lab', now - 5 * DAY, ports3, hosts), now - 5 * DAY);
  recordRun(db, run('ports.unexpected-open', 'lab', now - 3 * DAY, ports3.slice(0, 2), hosts), now - 3 * DAY);
  recordRun(db, run('ports.unexpected-open', 'lab', now - 2 * HOUR, [...ports3.slice(0, 2), ports3[3]!, port('10.0.0.8', 9200, 'low')], hosts), now - 2 * HOUR);
  recordRun(
    db,
    run('aws.s3.public-access-block', 'prod-account', now - 6 * HOUR, [
      { resourceId: 'arn:aws:s3:::billing-exports', title: 'Bucket billing-exports allows public ACLs', severity: 'high', evidence: { blockPublicAcls: false } },
      { resourceId: 'arn:aws:s3:::static-site', title: 'Bucket static-site allows public policies', severity: 'medium', evidence: { blockPublicPolicy: false } },
    ], { outcome: 'partial', coverage: { ok: ['us-east-1'], failed: [{ scope: 'eu-west-1', error: { name: 'CollectorAccessDenied', message: 'AccessDenied on s3:GetBucketPolicy' } }] } }),
    now - 6 * HOUR,
  );
  recordRun(
    db,
    run('aws.iam.root-mfa', 'prod-account', now - 20 * HOUR, [
      { resourceId: 'arn:aws:iam::123456789012:root', title: 'Root account has no MFA device', severity: 'critical', evidence: { mfaActive: false }, remediation: 'Enable a hardware MFA device on the root user.' },
    ]),
    now - 20 * HOUR,
  );
  recordRun(
    db,
    run('secrets.history', 'payments-repo', now - 26 * HOUR, [
      {
        resourceId: 'payments-repo:config/settings.py',
        key: 'a1b2c3',
        title: 'AWS access key in git history',
        severity: 'high',
        evidence: { sha256: 'f'.repeat(64), preview: 'AKIA…Q2XZ', length: 20 },
        location: { file: 'config/settings.py', line: 12, commit: '9f8e7d6' },
      },
    ]),
    now - 26 * HOUR,
  );
  recordRun(db, run('secrets.history', 'payments-repo', now - 1 * HOUR, [], { outcome: 'failed', error: 'git fetch failed: repository not found' }), now - 1 * HOUR);
  recordRun(
    db,
    run('dns.dangling-cname', 'example-zone', now - 30 * 60_000, [
      { resourceId: 'example.test/old-shop.example.test', title: 'old-shop CNAME points at an unclaimed bucket', severity: 'high', evidence: { target: 'old-shop.s3.amazonaws.com' } },
    ]),
    now - 30 * 60_000,
  );
  setDecision(db, { fingerprint: fingerprintOf('ports.unexpected-open', '10.0.0.5:8080'), decision: 'muted', reason: 'lab proxy, owned by platform', actor: 'alice' }, now - HOUR);
  db.prepare(`INSERT INTO schedule_state (schedule_id, check_id, target_id, last_slot, next_slot, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    'ports-lab',
    'ports.unexpected-open',
    'lab',
    now - 2 * HOUR,
    now + 4 * HOUR,
    now,
  );
  db.prepare(`INSERT INTO schedule_state (schedule_id, check_id, target_id, last_slot, next_slot, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    'dns-zones',
    'dns.dangling-cname',
    'example-zone',
    now - 30 * 60_000,
    now + 30 * 60_000,
    now,
  );
  // Deliver most of the outbox, leave a backlog and one dead letter, as a dispatcher would.
  db.prepare(`UPDATE outbox SET status = 'delivered', delivered_at = ? WHERE id % 3 <> 0`).run(now);
  db.prepare(`UPDATE outbox SET status = 'dead', last_error = 'slack: 404 no_service' WHERE id = (SELECT min(id) FROM outbox WHERE status = 'pending')`).run();
}

const BULK_CHECKS = ['aws.ec2.open-security-group', 'aws.iam.unused-keys', 'aws.s3.public-access-block', 'deps.advisories', 'dns.dangling-cname', 'gcp.iam.primitive-roles', 'k8s.rbac.wildcard-roles', 'ports.unexpected-open', 'secrets.history'];
const BULK_SEVERITIES: readonly Severity[] = ['info', 'low', 'low', 'medium', 'medium', 'medium', 'high', 'high', 'critical'];
const BULK_WORDS = ['bucket', 'policy', 'role', 'token', 'port', 'record', 'image', 'lambda', 'service', 'cluster', 'ingress', 'queue'];

/** `count` findings spread over 60 days, checks, severities and statuses; deterministic for a given seed. */
export function seedBulkFindings(db: Db, count: number, now = FIXTURE_NOW, seed = 7): void {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32: a tiny seeded PRNG so every seeded ledger is identical.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const insertRun = db.prepare(`INSERT INTO runs (id, check_id, target_id, trigger, outcome, started_at, finished_at, findings_seen) VALUES (?, ?, 'bulk', 'schedule', 'ok', ?, ?, ?)`);
  const insert = db.prepare(
    `INSERT INTO findings (fingerprint, check_id, resource_id, key, scope, target_id, title, severity, status, evidence, first_seen, last_seen, resolved_at, first_run_id, last_run_id, decision, decision_until, decision_reason, decision_by, decision_at)
     VALUES (?, ?, ?, '', 'bulk', 'bulk', ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const checkId of BULK_CHECKS) insertRun.run(`bulk-${checkId}`, checkId, now - HOUR, now - HOUR + 60_000, Math.round(count / BULK_CHECKS.length));
    for (let i = 0; i < count; i += 1) {
      const checkId = pick(BULK_CHECKS);
      const resourceId = `${checkId.split('.')[0]}:${pick(BULK_WORDS)}-${i.toString(36)}`;
      const firstSeen = now - Math.floor(random() * 60 * DAY);
      const roll = random();
      const status = roll < 0.15 ? 'resolved' : roll < 0.3 ? 'new' : roll < 0.35 ? 'reopened' : 'open';
      const decisionRoll = random();
      const decision = status === 'resolved' ? null : decisionRoll < 0.03 ? 'false_positive' : decisionRoll < 0.06 ? 'accepted' : decisionRoll < 0.08 ? 'muted' : null;
      const resolvedAt = status === 'resolved' ? Math.min(now, firstSeen + Math.floor(random() * 10 * DAY)) : null;
      insert.run(
        fingerprintOf(checkId, resourceId),
        checkId,
        resourceId,
        `${pick(BULK_WORDS)} ${resourceId} ${pick(['is public', 'is stale', 'allows wildcard access', 'has a known advisory', 'is exposed'])}`,
        pick(BULK_SEVERITIES),
        status,
        firstSeen,
        resolvedAt ?? now - HOUR,
        resolvedAt,
        `bulk-${checkId}`,
        `bulk-${checkId}`,
        decision,
        decision === 'accepted' ? now + 30 * DAY : null,
        decision ? 'bulk fixture' : null,
        decision ? 'fixture' : null,
        decision ? now - DAY : null,
      );
    }
  })();
}
