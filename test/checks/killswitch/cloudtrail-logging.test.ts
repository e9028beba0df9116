import { afterEach, describe, expect, it } from 'vitest';
import { GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import check from '../../../checks/killswitch/cloudtrail-logging.js';
import { createAwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { checkTester } from '../../support/check-tester.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, BUCKET, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';
import { approved, approvedCollected } from './baseline-harness.js';

const trailBaseline = { name: 'org-trail', homeRegion: 'us-east-1', s3BucketName: BUCKET };
const baseline = { trails: [trailBaseline] };
const options = { accounts: ACCOUNTS, baseline };
const writeOnly = { trails: [{ ...trailBaseline, eventSelectors: [{ readWriteType: 'WriteOnly' }] }] };
const lagOff = { trails: [{ ...trailBaseline, maxDeliveryLagMinutes: 0 }] };
const full = { trails: [{ ...trailBaseline, kmsKeyId: 'arn:aws:kms:us-east-1:{account}:key/k1', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:{account}:log-group:trail:*', cloudWatchLogsRoleArn: 'arn:aws:iam::{account}:role/trail-to-cwl', logFileValidationEnabled: true }] };
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
  s3KeyPrefix: null,
  snsTopicArn: null,
  logFileValidationEnabled: true,
  cloudWatchLogsLogGroupArn: null,
  cloudWatchLogsRoleArn: null,
  kmsKeyId: null,
  latestDeliveryError: null,
  latestDeliveryTime: '2026-11-23T10:00:00.000Z',
  deliveryLagSeconds: 120,
  advancedEventSelectors: null,
  eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] }],
  ...overrides,
});
const inventory = (trails: unknown[], extra: unknown[] = [], raw: unknown = baseline) => ({
  baseline: approved('cloudtrail', raw),
  cloudtrail: {
    regions: [{ account: MANAGEMENT, region: 'us-east-1', scope: `aws:${MANAGEMENT}/us-east-1`, data: { trails, shadows: [] } }, ...extra],
    listed: [{ account: MANAGEMENT, regions: ['eu-west-1', 'us-east-1'] }],
  },
});

checkTester(check, {
  pass: [
    { name: 'the baseline trail logs all management events', options, inventory: inventory([trail()]) },
    { name: 'a wider selector covers a write-only baseline', options: { ...options, baseline: writeOnly }, inventory: inventory([trail()], [], writeOnly) },
    { name: 'an old delivery is fine with the lag check off', options: { ...options, baseline: lagOff }, inventory: inventory([trail({ deliveryLagSeconds: 86_400 })], [], lagOff) },
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
    {
      name: 'KMS key and CloudWatch Logs removed, validation off',
      options: { ...options, baseline: full },
      inventory: inventory([trail({ logFileValidationEnabled: false })], [], full),
      findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'high', title: 'logFileValidationEnabled, kmsKeyId, cloudWatchLogsLogGroupArn, cloudWatchLogsRoleArn' }],
    },
    { name: 'logs sent to another bucket', options, inventory: inventory([trail({ s3BucketName: 'attacker-bucket' })]), findings: [{ resourceId: arn(MANAGEMENT), key: 'trail', severity: 'critical', title: 's3BucketName' }] },
    {
      name: 'logging but not delivering',
      options,
      inventory: inventory([trail({ latestDeliveryError: 'AccessDenied', deliveryLagSeconds: 7_200 })]),
      findings: [{ resourceId: arn(MANAGEMENT), key: 'delivery', severity: 'high', title: 'AccessDenied' }],
    },
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
        baseline: approvedCollected('cloudtrail', baseline),
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

describe('killswitch.cloudtrail-logging: settings and delivery against the AWS fake', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const regions = ['us-east-1', 'eu-west-1'];

  it('KMS key, CloudWatch Logs and validation stripped by UpdateTrail: restored with one UpdateTrail, read back, idempotent', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    for (const id of [MANAGEMENT, MEMBER]) {
      Object.assign(fake.world.account(id).trails.get('org-trail')!, { kmsKeyId: `arn:aws:kms:us-east-1:${id}:key/k1`, cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${id}:log-group:trail:*`, cloudWatchLogsRoleArn: `arn:aws:iam::${id}:role/trail-to-cwl` });
    }
    const full = { trails: [{ ...trailBaseline, kmsKeyId: 'arn:aws:kms:us-east-1:{account}:key/k1', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:{account}:log-group:trail:*', cloudWatchLogsRoleArn: 'arn:aws:iam::{account}:role/trail-to-cwl', logFileValidationEnabled: true }] };
    expect((await runCheck(check, org.clients, { baseline: full, mode: 'enforce' })).findings).toEqual([]);

    const attacker = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MEMBER), maxAttempts: 1 });
    await attacker('cloudtrail', 'us-east-1', { id: MEMBER }).send(new UpdateTrailCommand({ Name: arn(MEMBER), KmsKeyId: '', CloudWatchLogsLogGroupArn: '', CloudWatchLogsRoleArn: '', EnableLogFileValidation: false }));
    const writes = fake.writes().length;
    const detect = await runCheck(check, org.clients, { baseline: full, mode: 'detect' });
    expect(detect.findings.map((f) => [f.resourceId, f.severity, (f.evidence.settings as { field: string }[]).map((s) => s.field)])).toEqual([
      [arn(MEMBER), 'high', ['logFileValidationEnabled', 'kmsKeyId', 'cloudWatchLogsLogGroupArn', 'cloudWatchLogsRoleArn']],
    ]);
    expect(fake.writes()).toHaveLength(writes);

    const enforce = await runCheck(check, org.clients, { baseline: full, mode: 'enforce' });
    expect(enforce.remediations).toEqual([expect.objectContaining({ resourceId: arn(MEMBER), outcome: 'fixed', actions: ['cloudtrail:UpdateTrail'] })]);
    const sent = fake.writes().slice(writes).map((c) => c.body);
    expect(sent).toEqual([expect.objectContaining({ KmsKeyId: `arn:aws:kms:us-east-1:${MEMBER}:key/k1`, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MEMBER}:log-group:trail:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${MEMBER}:role/trail-to-cwl`, EnableLogFileValidation: true })]);
    const trail = fake.world.account(MEMBER).trails.get('org-trail')!;
    expect([trail.kmsKeyId, trail.logFileValidationEnabled]).toEqual([`arn:aws:kms:us-east-1:${MEMBER}:key/k1`, true]);
    expect((await runCheck(check, org.clients, { baseline: full, mode: 'enforce' })).remediations).toBeUndefined();
    expect(fake.writes()).toHaveLength(writes + 1);
  });

  it('restoreSettings: false reports a changed setting but leaves it alone', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    fake.world.account(MEMBER).trails.get('org-trail')!.isMultiRegionTrail = false;
    const result = await runCheck(check, org.clients, { baseline: { trails: [{ ...trailBaseline, restoreSettings: false }] }, mode: 'enforce' });
    expect(result.findings.map((f) => f.key)).toEqual(['trail']);
    expect(result.remediations).toEqual([]);
    expect(fake.writes()).toEqual([]);
  });

  it('a delivery error on a logging trail is reported and never "fixed"', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    fake.world.account(MANAGEMENT).trails.get('org-trail')!.latestDeliveryError = 'AccessDenied';
    const result = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(result.findings.map((f) => [f.key, f.severity, f.evidence.latestDeliveryError])).toEqual([['delivery', 'high', 'AccessDenied']]);
    expect(result.remediations).toEqual([]);
    expect(fake.writes()).toEqual([]);
  });

  it('advanced event selectors narrowed by the attacker are put back exactly', async () => {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    const advanced = [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
    for (const id of [MANAGEMENT, MEMBER]) fake.world.account(id).trails.get('org-trail')!.advancedEventSelectors = advanced;
    const withAdvanced = { trails: [{ ...trailBaseline, advancedEventSelectors: advanced }] };
    expect((await runCheck(check, org.clients, { baseline: withAdvanced, mode: 'detect' })).findings).toEqual([]);
    fake.world.account(MEMBER).trails.get('org-trail')!.advancedEventSelectors = [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }];
    const enforce = await runCheck(check, org.clients, { baseline: withAdvanced, mode: 'enforce' });
    expect(enforce.remediations?.map((r) => [r.resourceId, r.outcome, r.actions])).toEqual([[arn(MEMBER), 'fixed', ['cloudtrail:PutEventSelectors']]]);
    expect(fake.world.account(MEMBER).trails.get('org-trail')!.advancedEventSelectors).toEqual(advanced);
  });
});
