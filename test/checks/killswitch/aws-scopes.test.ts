import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/killswitch/config-recorder.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';

const baseline = { recorder: { roleARN: 'arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig' }, deliveryChannel: { s3BucketName: 'org-trail-logs' } };

describe('AWS scopes: accounts and regions listed every run', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('organizationRoleName adds every ACTIVE account of the organization (paginated ListAccounts), assuming that role', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    fake.world.stopRecorder(MEMBER, 'eu-west-1');
    const result = await runCheck(check, org.clients, { accounts: [ACCOUNTS[0]], organizationRoleName: 'vigil-killswitch', baseline, mode: 'detect' });
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toEqual([`aws:${MANAGEMENT}/eu-west-1`, `aws:${MANAGEMENT}/us-east-1`, `aws:${MEMBER}/eu-west-1`, `aws:${MEMBER}/us-east-1`]);
    expect(result.findings.map((f) => f.scope)).toEqual([`aws:${MEMBER}/eu-west-1`]);
    expect(fake.calls.filter((c) => c.action === 'ListAccounts')).toHaveLength(2);
    expect(fake.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.body)).toHaveLength(2);
  });

  it('excludeRegions skips a region; a refused DescribeRegions fails that whole account (partial), never passes it', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    fake.world.stopRecorder(MANAGEMENT, 'eu-west-1');
    const excluded = await runCheck(check, org.clients, { excludeRegions: ['eu-west-1'], baseline, mode: 'detect' });
    expect(excluded.findings).toEqual([]);
    expect(excluded.coverage.ok).toEqual([`aws:${MANAGEMENT}/us-east-1`, `aws:${MEMBER}/us-east-1`]);

    fake.deny({ action: 'ec2:DescribeRegions', account: MEMBER, region: 'us-east-1' });
    const denied = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(denied.outcome).toBe('partial');
    expect(denied.coverage.failed).toEqual([{ scope: `aws:${MEMBER}`, error: { name: 'CollectorAccessDenied', message: expect.stringContaining('ec2:DescribeRegions') } }]);
    expect(denied.coverage.ok).toEqual([`aws:${MANAGEMENT}/eu-west-1`, `aws:${MANAGEMENT}/us-east-1`]);
  });
});
