import { afterEach, describe, expect, it } from 'vitest';
import cloudtrail from '../../../checks/killswitch/cloudtrail-logging.js';
import config from '../../../checks/killswitch/config-recorder.js';
import guardduty from '../../../checks/killswitch/guardduty-enabled.js';
import securityhub from '../../../checks/killswitch/securityhub-enabled.js';
import { captureBaselineForJob } from '../../../checks/killswitch/capture-baseline.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { silentLogger } from '../../../src/log.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, BUCKET, MEMBER, protectedOrg, runCheck } from './aws-harness.js';

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
