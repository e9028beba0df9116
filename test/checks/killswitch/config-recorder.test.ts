import { afterEach, describe, expect, it } from 'vitest';
import { DescribeConfigurationRecorderStatusCommand, StopConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import check from '../../../checks/killswitch/config-recorder.js';
import { checkTester } from '../../support/check-tester.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, BUCKET, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';
import { approved } from './baseline-harness.js';

const baseline = {
  recorder: { roleARN: 'arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig' },
  deliveryChannel: { s3BucketName: BUCKET },
};
const options = { accounts: ACCOUNTS, baseline };
const rid = (account: string, region: string) => `aws:${account}/${region}/config/recorder`;
const healthy = {
  recorder: { name: 'default', roleARN: 'arn:aws:iam::111111111111:role/x', allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] },
  recording: true,
  lastStatus: 'SUCCESS',
  channel: { name: 'default', s3BucketName: BUCKET, s3KeyPrefix: null, snsTopicARN: null },
};
const inventory = (data: unknown) => ({ baseline: approved('config', baseline), config: { regions: [{ account: MANAGEMENT, region: 'eu-west-1', scope: `aws:${MANAGEMENT}/eu-west-1`, data }], listed: [] } });

checkTester(check, {
  pass: [{ name: 'recording everything with a channel', options, inventory: inventory(healthy) }],
  fail: [
    { name: 'recorder stopped', options, inventory: inventory({ ...healthy, recording: false }), findings: [{ resourceId: rid(MANAGEMENT, 'eu-west-1'), key: 'recorder', severity: 'critical', title: 'recorder stopped' }] },
    {
      name: 'recorder and channel deleted',
      options,
      inventory: inventory({ recorder: null, recording: false, lastStatus: null, channel: null }),
      findings: [{ resourceId: rid(MANAGEMENT, 'eu-west-1'), key: 'recorder', severity: 'critical', title: 'recorder deleted, delivery channel deleted' }],
    },
    {
      name: 'recording narrowed to a few types',
      options,
      inventory: inventory({ ...healthy, recorder: { ...healthy.recorder, allSupported: false, resourceTypes: ['AWS::S3::Bucket'] } }),
      findings: [{ resourceId: rid(MANAGEMENT, 'eu-west-1'), key: 'recorder', severity: 'high', title: 'recording narrowed' }],
    },
  ],
});

describe('killswitch.config-recorder against the AWS fake', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('stopped recorders in several regions and a deleted recorder+channel are restored in order and read back', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    fake = org.fake;
    await org.clients('config', 'ap-south-1', ACCOUNTS[0]!).send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    fake.world.stopRecorder(MEMBER, 'us-east-1');
    const wiped = fake.world.region(MEMBER, 'eu-west-1');
    wiped.recording = false;
    delete wiped.channel;
    delete wiped.recorder;
    const writesBefore = fake.writes().length;

    const detect = await runCheck(check, org.clients, { baseline, mode: 'detect' });
    expect(detect.findings.map((f) => f.resourceId).sort()).toEqual([rid(MANAGEMENT, 'ap-south-1'), rid(MEMBER, 'eu-west-1'), rid(MEMBER, 'us-east-1')]);
    expect(fake.writes()).toHaveLength(writesBefore);

    const enforce = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(Object.fromEntries(enforce.remediations!.map((r) => [r.resourceId, [r.outcome, ...r.actions]]))).toEqual({
      [rid(MANAGEMENT, 'ap-south-1')]: ['fixed', 'config:StartConfigurationRecorder'],
      [rid(MEMBER, 'us-east-1')]: ['fixed', 'config:StartConfigurationRecorder'],
      [rid(MEMBER, 'eu-west-1')]: ['fixed', 'config:PutConfigurationRecorder', 'config:PutDeliveryChannel', 'config:StartConfigurationRecorder'],
    });
    expect(wiped.recorder?.roleARN).toBe(`arn:aws:iam::${MEMBER}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`);
    expect(wiped.recorder?.recordingGroup.includeGlobalResourceTypes).toBe(false);
    const status = await org.clients('config', 'eu-west-1', ACCOUNTS[1]!).send(new DescribeConfigurationRecorderStatusCommand({}));
    expect(status.ConfigurationRecordersStatus?.map((s) => s.recording)).toEqual([true]);

    const writesAfter = fake.writes().length;
    expect((await runCheck(check, org.clients, { baseline, mode: 'enforce' })).findings).toEqual([]);
    expect(fake.writes()).toHaveLength(writesAfter);
  });

  it('a deleted recorder without a baseline recorder is a failed remediation, not a guess', async () => {
    const org = await protectedOrg({ regions: ['us-east-1'] });
    fake = org.fake;
    delete fake.world.region(MANAGEMENT, 'us-east-1').recorder;
    const result = await runCheck(check, org.clients, { baseline: { deliveryChannel: { s3BucketName: BUCKET } }, mode: 'enforce' });
    expect(result.remediations).toEqual([expect.objectContaining({ outcome: 'failed', actions: [], error: expect.stringContaining('baseline has no recorder') })]);
    expect(result.findings.map((f) => f.key).sort()).toEqual(['recorder', 'recorder#remediation-failed']);
    expect(fake.writes()).toEqual([]);
  });
});
