import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/killswitch/guardduty-enabled.js';
import { executeRun } from '../../../jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/db.js';
import { activeBaseline, approveBaseline, baselineHistory, ledgerBaselineReader, ledgerFileBaselineReader } from '../../../src/store/killswitch-baselines.js';
import { useTempDir } from '../../builders/temp-dir.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MEMBER, protectedOrg } from './aws-harness.js';
import { freshStore } from './store-harness.js';

const FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];
const full = { findingPublishingFrequency: 'FIFTEEN_MINUTES', features: FEATURES.map((name) => ({ name })) };

describe('kill-switch baselines in the ledger', () => {
  const tempDir = useTempDir('vigil-ks-ledger-');
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('approving keeps every version; the same settings again (in any key order) add none', () => {
    const db = freshStore(tempDir());
    const first = approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: { features: [{ name: 'S3_DATA_EVENTS' }], findingPublishingFrequency: 'SIX_HOURS' }, source: 'capture', approvedBy: 'alice', now: 1 });
    const same = approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: { findingPublishingFrequency: 'SIX_HOURS', features: [{ name: 'S3_DATA_EVENTS' }] }, source: 'file', approvedBy: 'bob', now: 2 });
    const second = approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: full, source: 'file', approvedBy: 'bob', reason: 'all plans', now: 3 });
    approveBaseline(db, { kind: 'guardduty', targetId: 'other-job', baseline: {}, source: 'capture', approvedBy: 'carol', now: 4 });
    expect([first.version, first.unchanged, same.version, same.unchanged, second.version, second.unchanged]).toEqual([1, false, 1, true, 2, false]);
    expect(baselineHistory(db, 'guardduty', 'aws').map((v) => [v.version, v.approvedBy, v.source, v.reason])).toEqual([
      [2, 'bob', 'file', 'all plans'],
      [1, 'alice', 'capture', ''],
    ]);
    expect(activeBaseline(db, 'guardduty', 'aws')!.baseline).toEqual(full);
    expect(activeBaseline(db, 'cloudtrail', 'aws')).toBeUndefined();
  });

  it('a run with no baseline in its options restores from the newest approved version and says so in the evidence', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    const db = freshStore(tempDir());
    const services = { awsClients: org.clients, killswitchBaselines: ledgerBaselineReader(db) };
    const run = (options: Record<string, unknown>, n: number) =>
      executeRun({ runId: `ledger-${n}`, checkId: check.id, targetId: 'aws', trigger: 'schedule', options: { accounts: ACCOUNTS, ...options }, timeoutMs: 20_000 }, { checks: { get: () => check }, log: silentLogger, services });

    // v1 asks for a plan this org does not run; v2 (approved later) is the org as it is.
    approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: { features: [{ name: 'EKS_RUNTIME_MONITORING' }] }, source: 'file', approvedBy: 'alice' });
    const v1 = await run({ mode: 'detect' }, 1);
    expect(v1.findings).toHaveLength(4);
    expect(v1.findings[0]!.evidence.baseline).toEqual({ source: 'ledger', version: 1 });
    approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: full, source: 'capture', approvedBy: 'alice' });
    expect((await run({ mode: 'detect' }, 2)).findings).toEqual([]);

    fake.world.region(MEMBER, 'eu-west-1').detector!.features.get('S3_DATA_EVENTS')!.status = 'DISABLED';
    const enforce = await run({ mode: 'enforce' }, 3);
    expect(enforce.findings[0]!.evidence.baseline).toEqual({ source: 'ledger', version: 2 });
    expect(enforce.remediations).toEqual([expect.objectContaining({ outcome: 'fixed', actions: ['guardduty:UpdateDetector'] })]);
    expect(fake.writes().at(-1)!.body.features).toEqual(FEATURES.map((name) => ({ name, status: 'ENABLED' })));

    // The job's own options.baseline, reviewed like code, wins over the ledger.
    const fromConfig = await run({ mode: 'detect', baseline: { features: [{ name: 'EKS_RUNTIME_MONITORING' }] } }, 4);
    expect(fromConfig.findings.map((f) => f.evidence.baseline)).toEqual(Array(4).fill({ source: 'config', version: null }));
  });

  it('a stored baseline that no longer parses fails the run loudly: nothing is fixed from a baseline nobody can read', async () => {
    const org = await protectedOrg({ regions: ['us-east-1'] });
    fake = org.fake;
    const db = freshStore(tempDir());
    approveBaseline(db, { kind: 'guardduty', targetId: 'aws', baseline: { features: [{ name: 'NOT_A_FEATURE' }] }, source: 'file', approvedBy: 'mallory' });
    fake.world.suspendDetector(MEMBER, 'us-east-1');
    const result = await executeRun(
      { runId: 'ledger-bad', checkId: check.id, targetId: 'aws', trigger: 'schedule', options: { accounts: ACCOUNTS, mode: 'enforce' }, timeoutMs: 20_000 },
      { checks: { get: () => check }, log: silentLogger, services: { awsClients: org.clients, killswitchBaselines: ledgerBaselineReader(db) } },
    );
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/approved guardduty baseline v1 of 'aws' is invalid at features\.0\.name/);
    expect(fake.writes()).toEqual([]);
  });

  it('the file reader: no ledger yet means no baseline; a ledger from before migration 008 is named as such', () => {
    const dir = tempDir();
    expect(ledgerFileBaselineReader(join(dir, 'missing.db')).active('guardduty', 'aws')).toBeUndefined();
    const old = join(dir, 'old.db');
    openStore(old, { migrateTo: 5 }).close();
    expect(() => ledgerFileBaselineReader(old).active('guardduty', 'aws')).toThrow(/predates kill-switch baselines \(migration 008\)/);
    const current = join(dir, 'ledger.db');
    const db = openStore(current);
    approveBaseline(db, { kind: 'config', targetId: 'aws', baseline: { globalResourceRegion: 'eu-west-1' }, source: 'file', approvedBy: 'alice' });
    db.close();
    expect(ledgerFileBaselineReader(current).active('config', 'aws')?.baseline).toEqual({ globalResourceRegion: 'eu-west-1' });
  });
});
