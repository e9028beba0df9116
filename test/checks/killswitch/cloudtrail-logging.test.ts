import { afterEach, describe, expect, it } from 'vitest';
import { GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import check from '../../../checks/killswitch/cloudtrail-logging.js';
import { createAwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { checkTester } from '../../support/check-tester.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, BUCKET, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';

const trailBaseline = { name: 'org-trail', homeRegion: 'us-east-1', s3BucketName: BUCKET };
const baseline = { trails: [trailBaseline] };
const options = { accounts: ACCOUNTS, baseline };
const arn = (account: string) => `arn:aws:cloudtrail:us-east-1:${account}:trail/org-trail`;
const trail = (overrides: Record<string, unknown> = {}) => ({
  name: 'org-trail',
  arn: arn(MANAGEMENT),
  homeRegion: 'us-east-1',
  s3BucketName: BUCKET,
  isMultiRegionTrail: true,
  isOrganizationTrail: false,
  includeGlobalServiceEvents: true,
  logging: true,
  stopLoggingTime: null,
  eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] }],
  ...overrides,
});
const inventory = (trails: unknown[], extra: unknown[] = []) => ({
  cloudtrail: {
    regions: [{ account: MANAGEMENT, region: 'us-east-1', scope: `aws:${MANAGEMENT}/us-east-1`, data: { trails, shadows: [] } }, ...extra],
    listed: [{ account: MANAGEMENT, regions: ['eu-west-1', 'us-east-1'] }],
  },
});

checkTester(check, {
  pass: [
    { name: 'the baseline trail logs all management events', options, inventory: inventory([trail()]) },
    { name: 'a wider selector covers a write-only baseline', options: { ...options, baseline: { trails: [{ ...trailBaseline, eventSelectors: [{ readWriteType: 'WriteOnly' }] }] } }, inventory: inventory([trail()]) },
  ],
  fail: [
    { name: 'StopLogging', options, inventory: inventory([trail({ logging: false, stopLoggingTime: '2026-11-23T10:00:00.000Z' })]), findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'critical', title: 'stopped logging' }] },
    { name: 'trail deleted', options, inventory: inventory([]), findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'critical', title: 'was deleted' }] },
    {
      name: 'management events dropped from the selectors',
      options,
      inventory: inventory([trail({ eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false, excludeManagementEventSources: [] }] })]),
      findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'high', title: 'no longer records' }],
    },
    { name: 'made single-region', options, inventory: inventory([trail({ isMultiRegionTrail: false })]), findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'high', title: 'isMultiRegionTrail' }] },
  ],
  partial: [
    {
      name: 'home region refused',
      options,
      collected: {
        cloudtrail: {
          data: { regions: [], listed: [{ account: MANAGEMENT, regions: ['us-east-1'] }] },
          coverage: { ok: [], failed: [{ scope: `aws:${MANAGEMENT}/us-east-1`, error: { name: 'CollectorAccessDenied', message: 'cloudtrail:DescribeTrails' } }] },
        },
      },
      failedScopes: [`aws:${MANAGEMENT}/us-east-1`],
    },
  ],
});

describe('killswitch.cloudtrail-logging against the AWS fake', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];

  it("StopLogging by a stolen key: detected, StartLogging in the trail's home region, read back, then idempotent", async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    const attacker = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MEMBER), maxAttempts: 1 });
    // AWS's rule: StartLogging/StopLogging cannot be called on a shadow trail, only in the home region.
    await expect(attacker('cloudtrail', 'eu-west-1', { id: MEMBER }).send(new StopLoggingCommand({ Name: arn(MEMBER) }))).rejects.toMatchObject({ name: 'InvalidHomeRegionException' });
    await attacker('cloudtrail', 'us-east-1', { id: MEMBER }).send(new StopLoggingCommand({ Name: arn(MEMBER) }));

    const detect = await runCheck(check, org.clients, { baseline, mode: 'detect' });
    expect(detect.findings.map((f) => `${f.resourceId} ${f.severity}`)).toEqual([`${arn(MEMBER)} critical`]);
    const writes = fake.writes().length;
    expect(detect.outcome).toBe('ok');

    const enforce = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(enforce.remediations).toEqual([expect.objectContaining({ resourceId: arn(MEMBER), outcome: 'fixed', actions: ['cloudtrail:StartLogging'], after: expect.objectContaining({ logging: true }) })]);
    expect(fake.writes().slice(writes).map((c) => `${c.account}/${c.region} ${c.action}`)).toEqual([`${MEMBER}/us-east-1 StartLogging`]);
    const status = await org.clients('cloudtrail', 'ap-south-1', ACCOUNTS[1]!).send(new GetTrailStatusCommand({ Name: arn(MEMBER) }));
    expect(status.IsLogging).toBe(true);

    const again = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(again.findings).toEqual([]);
    expect(fake.writes()).toHaveLength(writes + 1);
  });

  it('a deleted trail is a critical alert; it is re-created (and started) only when the baseline allows', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    fake.world.account(MANAGEMENT).trails.delete('org-trail');
    const refused = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(refused.findings.map((f) => [f.resourceId, f.severity])).toEqual([[arn(MANAGEMENT), 'critical']]);
    expect(refused.remediations).toEqual([]);
    expect(fake.writes()).toEqual([]);

    const allowed = await runCheck(check, org.clients, { baseline: { trails: [{ ...trailBaseline, recreate: true }] }, mode: 'enforce' });
    expect(allowed.remediations).toEqual([expect.objectContaining({ outcome: 'fixed', actions: ['cloudtrail:CreateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StartLogging'] })]);
    const recreated = fake.world.account(MANAGEMENT).trails.get('org-trail')!;
    expect([recreated.homeRegion, recreated.logging, recreated.isMultiRegionTrail, recreated.s3BucketName]).toEqual(['us-east-1', true, true, BUCKET]);
  });

  it('narrowed event selectors are restored', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    const attacker = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MANAGEMENT), maxAttempts: 1 });
    await attacker('cloudtrail', 'us-east-1', { id: MANAGEMENT }).send(
      new PutEventSelectorsCommand({ TrailName: arn(MANAGEMENT), EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }),
    );
    const enforce = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(enforce.remediations?.map((r) => [r.outcome, r.actions])).toEqual([['fixed', ['cloudtrail:PutEventSelectors']]]);
    expect(fake.world.account(MANAGEMENT).trails.get('org-trail')!.eventSelectors[0]!.ReadWriteType).toBe('All');
  });

  it('an organization trail stopped, seen from a member: the fix is refused and becomes a critical finding, not a retry loop', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    const memberTrail = fake.world.account(MEMBER).trails.get('org-trail')!;
    memberTrail.isOrganizationTrail = true;
    fake.world.stopLogging(MEMBER, 'org-trail');
    const direct = org.clients('cloudtrail', 'us-east-1', ACCOUNTS[1]!).send(new StartLoggingCommand({ Name: arn(MEMBER) }));
    await expect(direct).rejects.toMatchObject({ name: 'NotOrganizationMasterAccountException' });

    const enforce = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(enforce.remediations).toEqual([expect.objectContaining({ outcome: 'failed', error: expect.stringContaining('NotOrganizationMasterAccountException') })]);
    expect(enforce.findings.map((f) => `${f.key} ${f.severity}`).sort()).toEqual(['trail critical', 'trail#remediation-failed critical']);
    expect(fake.calls.filter((c) => c.action === 'StartLogging')).toHaveLength(2);
  });
});
