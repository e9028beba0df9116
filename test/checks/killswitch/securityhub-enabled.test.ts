import { afterEach, describe, expect, it } from 'vitest';
import { BatchDisableStandardsCommand, DescribeHubCommand, DisableSecurityHubCommand, paginateGetEnabledStandards, type SecurityHubClient, type StandardsSubscription } from '@aws-sdk/client-securityhub';
import check from '../../../checks/killswitch/securityhub-enabled.js';
import { checkTester } from '../../support/check-tester.js';
import type { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, STANDARDS, protectedOrg, runCheck } from './aws-harness.js';
import { approved } from './baseline-harness.js';

const baseline = { standards: STANDARDS };
const options = { accounts: ACCOUNTS, baseline };
const rid = (account: string, region: string) => `aws:${account}/${region}/securityhub/hub`;
const fsbp = (region: string) => `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const cis = 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0';
async function subscriptions(client: SecurityHubClient): Promise<StandardsSubscription[]> {
  const all: StandardsSubscription[] = [];
  for await (const page of paginateGetEnabledStandards({ client }, {})) all.push(...(page.StandardsSubscriptions ?? []));
  return all;
}
const inventory = (data: unknown) => ({ baseline: approved('securityhub', baseline), securityhub: { regions: [{ account: MEMBER, region: 'eu-west-1', scope: `aws:${MEMBER}/eu-west-1`, data }], listed: [] } });

checkTester(check, {
  pass: [{ name: 'enabled with both baseline standards', options, inventory: inventory({ enabled: true, hubArn: 'h', standards: [{ arn: cis, status: 'READY' }, { arn: fsbp('eu-west-1'), status: 'READY' }] }) }],
  fail: [
    { name: 'disabled', options, inventory: inventory({ enabled: false, hubArn: null, standards: [] }), findings: [{ resourceId: rid(MEMBER, 'eu-west-1'), key: 'hub', severity: 'critical', title: 'disabled' }] },
    {
      name: 'a baseline standard disabled',
      options,
      inventory: inventory({ enabled: true, hubArn: 'h', standards: [{ arn: cis, status: 'READY' }] }),
      findings: [{ resourceId: rid(MEMBER, 'eu-west-1'), key: 'hub', severity: 'high', title: 'missing baseline standards (1)' }],
    },
  ],
});

describe('killswitch.securityhub-enabled against the AWS fake', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('DisableSecurityHub (InvalidAccessException on DescribeHub) and BatchDisableStandards are both put back', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    const member = org.clients('securityhub', 'eu-west-1', ACCOUNTS[1]!);
    await member.send(new DisableSecurityHubCommand({}));
    await expect(member.send(new DescribeHubCommand({}))).rejects.toMatchObject({ name: 'InvalidAccessException' });
    const management = org.clients('securityhub', 'us-east-1', ACCOUNTS[0]!);
    const subs = await subscriptions(management);
    await management.send(new BatchDisableStandardsCommand({ StandardsSubscriptionArns: subs.filter((s) => s.StandardsArn === cis).map((s) => s.StandardsSubscriptionArn!) }));

    const detect = await runCheck(check, org.clients, { baseline, mode: 'detect' });
    // "Not subscribed" is the attack, not a failure to look: the run is complete.
    expect(detect.outcome).toBe('ok');
    expect(detect.findings.map((f) => `${f.resourceId} ${f.severity}`).sort()).toEqual([`${rid(MANAGEMENT, 'us-east-1')} high`, `${rid(MEMBER, 'eu-west-1')} critical`]);

    const enforce = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(Object.fromEntries(enforce.remediations!.map((r) => [r.resourceId, [r.outcome, ...r.actions]]))).toEqual({
      [rid(MANAGEMENT, 'us-east-1')]: ['fixed', 'securityhub:BatchEnableStandards'],
      [rid(MEMBER, 'eu-west-1')]: ['fixed', 'securityhub:EnableSecurityHub', 'securityhub:BatchEnableStandards'],
    });
    // Exactly the baseline, not AWS's defaults on top.
    expect((await subscriptions(member)).map((s) => s.StandardsArn).sort()).toEqual([cis, fsbp('eu-west-1')].sort());
    expect(fake.calls.find((c) => c.action === 'EnableSecurityHub')?.body).toEqual({ EnableDefaultStandards: false });

    const writes = fake.writes().length;
    expect((await runCheck(check, org.clients, { baseline, mode: 'enforce' })).findings).toEqual([]);
    expect(fake.writes()).toHaveLength(writes);
  });

  it('AccessDenied on DescribeHub is partial for that region, never "disabled" and never fixed', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    fake.deny({ action: 'securityhub:DescribeHub', account: MEMBER, region: 'eu-west-1' });
    const result = await runCheck(check, org.clients, { baseline, mode: 'enforce' });
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([[`aws:${MEMBER}/eu-west-1`, 'CollectorAccessDenied']]);
    expect(result.findings).toEqual([]);
    expect(fake.writes()).toEqual([]);
  });
});
