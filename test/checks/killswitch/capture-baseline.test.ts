import { afterEach, describe, expect, it } from 'vitest';
import cloudtrail from '../../../checks/killswitch/cloudtrail-logging.js';
import config from '../../../checks/killswitch/config-recorder.js';
import guardduty from '../../../checks/killswitch/guardduty-enabled.js';
import blindingCheck from '../../../checks/killswitch/guardduty-blinding.js';
import securityhub from '../../../checks/killswitch/securityhub-enabled.js';
import { captureBaselineForJob } from '../../../checks/killswitch/capture-baseline.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { silentLogger } from '../../../src/log.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, BUCKET, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';

describe('capturing a baseline from the live state', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it.each([guardduty, cloudtrail, config, securityhub].map((check) => [check.id, check as AnyCheck] as const))(
    '%s: the captured baseline describes a healthy org (no findings) and catches the next attack',
    async (_id, check) => {
      const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
      fake = org.fake;
      const baseline = await captureBaselineForJob(check, { accounts: ACCOUNTS, baseline: { ignored: true } }, { awsClients: org.clients }, silentLogger);
      expect(Object.keys(baseline).length).toBeGreaterThan(0);
      expect((await runCheck(check, org.clients, { baseline, mode: 'detect' })).findings).toEqual([]);

      fake.world.suspendDetector(MEMBER, 'eu-west-1');
      fake.world.stopLogging(MEMBER, 'org-trail');
      fake.world.stopRecorder(MEMBER, 'eu-west-1');
      fake.world.disableSecurityHub(MEMBER, 'eu-west-1');
      const after = await runCheck(check, org.clients, { baseline, mode: 'detect' });
      expect(after.findings).toHaveLength(1);
      expect(after.findings[0]!.severity).toBe('critical');
      expect(fake.writes()).toEqual([]);
    },
  );

  it('records what it saw, with account and region placeholders where they vary', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    const capture = (check: AnyCheck) => captureBaselineForJob(check, { accounts: ACCOUNTS }, { awsClients: org.clients }, silentLogger);
    expect(await capture(config as AnyCheck)).toEqual({
      recorder: { name: 'default', roleARN: 'arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig', allSupported: true, resourceTypes: [] },
      deliveryChannel: { name: 'default', s3BucketName: BUCKET },
      globalResourceRegion: 'us-east-1',
    });
    expect((await capture(securityhub as AnyCheck)).standards).toEqual(['arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', 'arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0']);
  });

  it('refuses to capture from a partial view', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    fake.deny({ action: 'guardduty:GetDetector', account: MEMBER, region: 'eu-west-1' });
    await expect(captureBaselineForJob(guardduty as AnyCheck, { accounts: ACCOUNTS }, { awsClients: org.clients }, silentLogger)).rejects.toThrow(/partial view: aws:222222222222\/eu-west-1/);
  });
});

describe('capturing the GuardDuty children, the delegated-admin view and CloudTrail settings', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('IP sets, threat lists, filters and the export are captured where every region agrees, with {account}/{region} templated', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    for (const account of [MANAGEMENT, MEMBER]) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const detector = fake.world.region(account, region).detector!;
        detector.threatIntelSets.set(`t-${region}`, { name: 'feeds', format: 'TXT', location: `s3://intel/${region}/feeds.txt`, status: 'ACTIVE' });
        detector.publishingDestinations.set(`p-${region}`, { destinationType: 'S3', destinationArn: 'arn:aws:s3:::findings', kmsKeyArn: `arn:aws:kms:${region}:${account}:key/k1` });
        detector.filters.set('low-noise', { action: 'ARCHIVE', rank: 1, description: '', criteria: { criterion: { severity: { lt: 4 } } } });
      }
    }
    // Only in one region: not approved by the capture, so it shows up there as an attack.
    fake.world.region(MEMBER, 'eu-west-1').detector!.filters.set('hide-all', { action: 'ARCHIVE', rank: 2, description: '', criteria: {} });
    const baseline = await captureBaselineForJob(guardduty as AnyCheck, { accounts: ACCOUNTS }, { awsClients: org.clients }, silentLogger);
    expect(baseline).toMatchObject({
      threatIntelSets: [{ name: 'feeds', format: 'TXT', location: 's3://intel/{region}/feeds.txt' }],
      filters: [{ name: 'low-noise', action: 'ARCHIVE', rank: 1, findingCriteria: { Criterion: { severity: { Lt: 4 } } } }],
      publishingDestinations: [{ destinationType: 'S3', destinationArn: 'arn:aws:s3:::findings', kmsKeyArn: 'arn:aws:kms:{region}:{account}:key/k1' }],
    });
    const blinding = await runCheck(blindingCheck, org.clients, { baseline, mode: 'detect' });
    expect(blinding.findings.map((f) => `${f.resourceId} ${f.key}`)).toEqual([`aws:${MEMBER}/eu-west-1/guardduty/detector filter:hide-all`]);
  });

  it('CloudTrail KMS key and CloudWatch Logs are captured with {account}, so one entry covers every account', async () => {
    const org = await protectedOrg({ regions: ['us-east-1'] });
    fake = org.fake;
    for (const id of [MANAGEMENT, MEMBER]) Object.assign(fake.world.account(id).trails.get('org-trail')!, { kmsKeyId: `arn:aws:kms:us-east-1:${id}:key/k1`, cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${id}:log-group:t:*`, cloudWatchLogsRoleArn: `arn:aws:iam::${id}:role/t` });
    const baseline = (await captureBaselineForJob(cloudtrail as AnyCheck, { accounts: ACCOUNTS }, { awsClients: org.clients }, silentLogger)) as { trails: Record<string, unknown>[] };
    expect(baseline.trails).toEqual([
      expect.objectContaining({ accounts: [MANAGEMENT, MEMBER], kmsKeyId: 'arn:aws:kms:us-east-1:{account}:key/k1', cloudWatchLogsRoleArn: 'arn:aws:iam::{account}:role/t', logFileValidationEnabled: true }),
    ]);
    fake.world.account(MEMBER).trails.get('org-trail')!.kmsKeyId = undefined;
    expect((await runCheck(cloudtrail as AnyCheck, org.clients, { baseline, mode: 'detect' })).findings.map((f) => f.title)).toEqual([expect.stringContaining('kmsKeyId')]);
  });
});
