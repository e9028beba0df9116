import { afterEach, describe, expect, it } from 'vitest';
import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import check from '../../../checks/killswitch/guardduty-enabled.js';
import { recordRun } from '../../../src/store/record-run.js';
import { checkTester } from '../../support/check-tester.js';
import { useTempDir } from '../../builders/temp-dir.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';
import { approved, approvedCollected } from './baseline-harness.js';
import { eventsOf, freshStore, statusOf, topics } from './store-harness.js';

const FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];
const baseline = { findingPublishingFrequency: 'FIFTEEN_MINUTES', features: FEATURES.map((name) => ({ name })) };
const options = { accounts: ACCOUNTS, baseline };
const healthy = { detectorId: 'd1', status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', features: FEATURES.map((name) => ({ name, status: 'ENABLED', additional: [] })) };
const region = (account: string, name: string, data: unknown) => ({ account, region: name, scope: `aws:${account}/${name}`, data });
const inventory = (...regions: unknown[]) => ({ detectors: { regions, listed: [{ account: MANAGEMENT, regions: ['eu-west-1', 'us-east-1'] }] }, baseline: approved('guardduty', baseline) });
const rid = (account: string, name: string) => `aws:${account}/${name}/guardduty/detector`;

checkTester(check, {
  pass: [
    { name: 'every region matches the baseline', options, inventory: inventory(region(MANAGEMENT, 'eu-west-1', healthy), region(MANAGEMENT, 'us-east-1', healthy)) },
    { name: 'a feature the baseline does not name may be off', options, inventory: inventory(region(MANAGEMENT, 'us-east-1', { ...healthy, features: [...healthy.features, { name: 'EKS_RUNTIME_MONITORING', status: 'DISABLED', additional: [] }] })) },
  ],
  fail: [
    {
      name: 'suspended in one region, deleted in another',
      options,
      inventory: inventory(
        region(MANAGEMENT, 'eu-west-1', { ...healthy, status: 'DISABLED' }),
        region(MANAGEMENT, 'us-east-1', { detectorId: null, status: null, findingPublishingFrequency: null, features: [] }),
      ),
      findings: [
        { resourceId: rid(MANAGEMENT, 'eu-west-1'), key: 'detector', severity: 'critical', scope: `aws:${MANAGEMENT}/eu-west-1`, title: 'suspended' },
        { resourceId: rid(MANAGEMENT, 'us-east-1'), key: 'detector', severity: 'critical', title: 'no detector' },
      ],
    },
    {
      name: 'a protection plan switched off and a slower publishing frequency',
      options,
      inventory: inventory(region(MEMBER, 'eu-west-1', { ...healthy, findingPublishingFrequency: 'SIX_HOURS', features: healthy.features.map((f) => (f.name === 'S3_DATA_EVENTS' ? { ...f, status: 'DISABLED' } : f)) })),
      findings: [{ resourceId: rid(MEMBER, 'eu-west-1'), key: 'detector', severity: 'high', title: /S3_DATA_EVENTS DISABLED.*publishing SIX_HOURS/ }],
    },
  ],
  partial: [
    {
      name: 'a region that refused the read',
      options,
      collected: {
        detectors: {
          data: inventory(region(MANAGEMENT, 'us-east-1', healthy)).detectors,
          coverage: { ok: [`aws:${MANAGEMENT}/us-east-1`], failed: [{ scope: `aws:${MANAGEMENT}/eu-west-1`, error: { name: 'CollectorAccessDenied', message: 'guardduty:GetDetector: AccessDeniedException' } }] },
        },
        baseline: approvedCollected('guardduty', baseline),
      },
      failedScopes: [`aws:${MANAGEMENT}/eu-west-1`],
    },
  ],
});

describe('killswitch.guardduty-enabled against the AWS fake through the real SDK', () => {
  const tempDir = useTempDir('vigil-ks-');
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('detect mode reports every attack and writes nothing', async () => {
    const org = await protectedOrg();
    fake = org.fake;
    fake.world.suspendDetector(MEMBER, 'eu-west-1');
    fake.world.deleteDetector(MANAGEMENT, 'ap-south-1');
    fake.world.region(MEMBER, 'us-west-2').detector!.features.get('EBS_MALWARE_PROTECTION')!.status = 'DISABLED';
    const result = await runCheck(check, org.clients, { mode: 'detect', baseline });
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toHaveLength(34);
    expect(result.findings.map((f) => [f.resourceId, f.severity]).sort()).toEqual([
      [rid(MANAGEMENT, 'ap-south-1'), 'critical'],
      [rid(MEMBER, 'eu-west-1'), 'critical'],
      [rid(MEMBER, 'us-west-2'), 'high'],
    ]);
    expect(result.remediations).toBeUndefined();
    expect(fake.writes()).toEqual([]);
    // The collector paginated (page size 1) and listed regions for both accounts through assumed roles.
    expect(fake.calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(2);
    expect(fake.calls.filter((c) => c.action === 'DescribeRegions')).toHaveLength(2);
  });

  it('enforce mode restores, verifies by reading back, records before/after, and a second run writes nothing', async () => {
    const org = await protectedOrg();
    fake = org.fake;
    const db = freshStore(tempDir());
    const suspended = fake.world.region(MEMBER, 'eu-west-1').detector!;
    const keptFindings = [...suspended.findings];
    fake.world.suspendDetector(MEMBER, 'eu-west-1');
    fake.world.deleteDetector(MANAGEMENT, 'ap-south-1');
    fake.world.region(MEMBER, 'us-west-2').detector!.features.get('EBS_MALWARE_PROTECTION')!.status = 'DISABLED';

    const first = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(first.outcome).toBe('ok');
    expect(first.remediations?.map((r) => [r.resourceId, r.outcome, r.actions.join(',')]).sort()).toEqual([
      [rid(MANAGEMENT, 'ap-south-1'), 'fixed', 'guardduty:CreateDetector'],
      [rid(MEMBER, 'eu-west-1'), 'fixed', 'guardduty:UpdateDetector'],
      [rid(MEMBER, 'us-west-2'), 'fixed', 'guardduty:UpdateDetector'],
    ]);
    // Never CreateDetector where one exists: the suspended detector is the same one, and it kept its findings.
    expect(fake.calls.filter((c) => c.action === 'CreateDetector').map((c) => `${c.account}/${c.region}`)).toEqual([`${MANAGEMENT}/ap-south-1`]);
    expect(fake.world.region(MEMBER, 'eu-west-1').detector).toBe(suspended);
    expect(suspended.findings).toEqual(keptFindings);

    // Read back through the real SDK, as a person would.
    const gd = org.clients('guardduty', 'ap-south-1', ACCOUNTS[0]!);
    const [id] = (await gd.send(new ListDetectorsCommand({}))).DetectorIds!;
    const recreated = await gd.send(new GetDetectorCommand({ DetectorId: id! }));
    expect(recreated.Status).toBe('ENABLED');
    expect(recreated.FindingPublishingFrequency).toBe('FIFTEEN_MINUTES');
    expect(recreated.Features?.map((f) => `${f.Name}=${f.Status}`).sort()).toEqual(FEATURES.map((n) => `${n}=ENABLED`).sort());

    const summary = recordRun(db, first);
    expect(summary.new).toBe(3);
    const events = eventsOf(db, check.id, rid(MEMBER, 'eu-west-1'), 'detector');
    expect(events.map((e) => e.type)).toEqual(['new', 'remediated']);
    expect(events[1]!.details.before.status).toBe('DISABLED');
    expect(events[1]!.details.after.status).toBe('ENABLED');
    expect(topics(db).filter((t) => t === 'finding.remediated')).toHaveLength(3);

    const writesBefore = fake.writes().length;
    const second = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(second.findings).toEqual([]);
    expect(second.remediations).toBeUndefined();
    expect(fake.writes()).toHaveLength(writesBefore);
    expect(recordRun(db, second).resolved).toBe(3);
    expect(statusOf(db, check.id, rid(MEMBER, 'eu-west-1'), 'detector')).toBe('resolved');
  });

  it('finds and fixes an attack in every region of every account, and an opt-in region enabled between ticks', async () => {
    const org = await protectedOrg();
    fake = org.fake;
    const first = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(first.findings).toEqual([]);

    for (const account of [MANAGEMENT, MEMBER]) for (const name of fake.world.enabledRegions(account)) fake.world.suspendDetector(account, name);
    fake.world.optIn(MEMBER, 'af-south-1');
    const second = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(second.coverage.ok).toHaveLength(35);
    expect(second.remediations).toHaveLength(35);
    expect(second.remediations!.every((r) => r.outcome === 'fixed')).toBe(true);
    expect(second.remediations!.find((r) => r.resourceId === rid(MEMBER, 'af-south-1'))!.actions).toEqual(['guardduty:CreateDetector']);
    for (const account of [MANAGEMENT, MEMBER]) {
      for (const name of fake.world.enabledRegions(account)) expect(fake.world.region(account, name).detector?.status, `${account}/${name}`).toBe('ENABLED');
    }
  });

  it('a denied write is one critical finding per attack, tried once per tick, and alerted once', async () => {
    const org = await protectedOrg();
    fake = org.fake;
    const db = freshStore(tempDir());
    fake.deny({ action: 'guardduty:UpdateDetector', account: MEMBER, region: 'eu-west-1' });
    fake.world.suspendDetector(MEMBER, 'eu-west-1');

    const first = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(first.outcome).toBe('ok');
    expect(first.remediations).toEqual([expect.objectContaining({ outcome: 'failed', after: null, error: expect.stringContaining('AccessDeniedException') })]);
    expect(first.findings.map((f) => `${f.key} ${f.severity}`).sort()).toEqual(['detector critical', 'detector#remediation-failed critical']);
    recordRun(db, first);
    const alertsAfterFirst = topics(db);
    expect(alertsAfterFirst.filter((t) => t === 'finding.new')).toHaveLength(2);
    expect(alertsAfterFirst.filter((t) => t === 'finding.remediation_failed')).toHaveLength(1);

    const second = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    recordRun(db, second);
    // One attempt per tick: no in-process retry loop on AccessDenied.
    expect(fake.calls.filter((c) => c.action === 'UpdateDetector')).toHaveLength(2);
    expect(topics(db).filter((t) => t === 'finding.new')).toHaveLength(2);
    expect(statusOf(db, check.id, rid(MEMBER, 'eu-west-1'), 'detector#remediation-failed')).toBe('open');
    expect(fake.world.region(MEMBER, 'eu-west-1').detector!.status).toBe('DISABLED');
  });

  it('a region whose reads are refused is partial there: no finding, nothing resolved, never a pass', async () => {
    const org = await protectedOrg();
    fake = org.fake;
    const db = freshStore(tempDir());
    fake.world.suspendDetector(MEMBER, 'eu-west-1');
    recordRun(db, await runCheck(check, org.clients, { mode: 'detect', baseline }));
    fake.deny({ action: 'guardduty:GetDetector', account: MEMBER, region: 'eu-west-1' });
    const blind = await runCheck(check, org.clients, { mode: 'enforce', baseline });
    expect(blind.outcome).toBe('partial');
    expect(blind.coverage.failed).toEqual([{ scope: `aws:${MEMBER}/eu-west-1`, error: { name: 'CollectorAccessDenied', message: expect.stringContaining('guardduty:GetDetector') } }]);
    expect(blind.findings).toEqual([]);
    expect(fake.writes()).toEqual([]);
    expect(recordRun(db, blind).resolved).toBe(0);
    expect(statusOf(db, check.id, rid(MEMBER, 'eu-west-1'), 'detector')).toBe('new');
  });
});
