import { afterEach, describe, expect, it } from 'vitest';
import { DeleteMembersCommand, DisassociateMembersCommand, ListDetectorsCommand, StopMonitoringMembersCommand, UpdateMemberDetectorsCommand, UpdateOrganizationConfigurationCommand } from '@aws-sdk/client-guardduty';
import check from '../../../checks/killswitch/guardduty-members.js';
import { createAwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { recordRun } from '../../../src/store/record-run.js';
import { checkTester } from '../../support/check-tester.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';
import { approved, approvedCollected } from './baseline-harness.js';
import { freshStore, statusOf } from './store-harness.js';

const FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];
const THIRD = '333333333333';
const baseline = { autoEnableOrganizationMembers: 'ALL', memberFeatures: FEATURES.map((name) => ({ name })) };
const ADMIN = [ACCOUNTS[0]!];
const options = { accounts: ADMIN, baseline };
const features = (off: string[] = []) => FEATURES.map((name) => ({ name, status: off.includes(name) ? 'DISABLED' : 'ENABLED', additional: [] }));
const member = (accountId: string, relationshipStatus = 'Enabled', off: string[] = []) => ({ accountId, relationshipStatus, email: `aws+${accountId}@example.com`, features: relationshipStatus === 'Enabled' ? features(off) : null });
const admin = (members: unknown[], autoEnable = 'ALL') => ({ detectorId: 'd0', autoEnableOrganizationMembers: autoEnable, organizationFeatures: [], members });
const inventory = (data: unknown, organizationAccounts: Record<string, string> | null = { [MANAGEMENT]: 'a', [MEMBER]: 'b', [THIRD]: 'c' }) => ({
  baseline: approved('guardduty-members', baseline),
  members: { regions: [{ account: MANAGEMENT, region: 'eu-west-1', scope: `aws:${MANAGEMENT}/eu-west-1`, data }], listed: [{ account: MANAGEMENT, regions: ['eu-west-1'] }], organizationAccounts },
});
const rid = (account: string, region: string) => `aws:${account}/${region}/guardduty/membership`;

checkTester(check, {
  pass: [
    { name: 'every organization account is a monitored member with the baseline plans', options, inventory: inventory(admin([member(MEMBER), member(THIRD)])) },
    { name: 'an excluded account may stay out', options: { ...options, baseline: { ...baseline, excludeAccounts: [THIRD] } }, inventory: { ...inventory(admin([member(MEMBER)])), baseline: approved('guardduty-members', { ...baseline, excludeAccounts: [THIRD] }) } },
  ],
  fail: [
    {
      name: 'monitoring stopped, a member deleted, a plan off, auto-enable lowered',
      options,
      inventory: inventory(admin([member(MEMBER, 'Disabled')], 'NONE'), { [MANAGEMENT]: 'a', [MEMBER]: 'b', [THIRD]: 'c' }),
      findings: [
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'member', severity: 'critical', title: 'is Disabled, not monitored' },
        { resourceId: rid(THIRD, 'eu-west-1'), key: 'member', severity: 'critical', title: 'not a GuardDuty member' },
        { resourceId: `aws:${MANAGEMENT}/eu-west-1/guardduty/organization-configuration`, key: 'organization', severity: 'critical', title: 'members NONE' },
      ],
    },
    {
      name: 'a protection plan off on one member',
      options,
      inventory: inventory(admin([member(MEMBER, 'Enabled', ['S3_DATA_EVENTS']), member(THIRD)])),
      findings: [{ resourceId: rid(MEMBER, 'eu-west-1'), key: 'member', severity: 'high', title: 'S3_DATA_EVENTS' }],
    },
  ],
  partial: [
    {
      name: 'the organization cannot be listed',
      options,
      collected: {
        baseline: approvedCollected('guardduty-members', baseline),
        members: {
          data: { ...inventory(admin([])).members, organizationAccounts: null },
          coverage: { ok: [], failed: ['aws:organization', `aws:${MANAGEMENT}/eu-west-1`].map((scope) => ({ scope, error: { name: 'CollectorAccessDenied', message: 'organizations:ListAccounts' } })) },
        },
      },
      failedScopes: ['aws:organization', `aws:${MANAGEMENT}/eu-west-1`],
    },
  ],
});

describe('killswitch.guardduty-members as the delegated administrator, against the AWS fake', () => {
  const tempDir = useTempDir('vigil-ks-members-');
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];

  async function organization() {
    const org = await protectedOrg({ regions });
    fake = org.fake;
    fake.world.makeGuardDutyAdmin(MANAGEMENT);
    return org;
  }

  it('puts every member back through the administrator alone, verifies, records, and then writes nothing', async () => {
    const org = await organization();
    const db = freshStore(tempDir());
    expect((await runCheck(check, org.clients, { ...options, mode: 'enforce' })).findings).toEqual([]);

    // A stolen administrator key: lower auto-enable (so AWS allows the rest), stop, disassociate, switch a plan off.
    const attacker = createAwsClientFactory({ endpoint: fake!.endpoint, credentials: AwsFake.credentials(MANAGEMENT), maxAttempts: 1 });
    const gd = (region: string) => attacker('guardduty', region, { id: MANAGEMENT });
    const detectorIn = async (region: string) => (await gd(region).send(new ListDetectorsCommand({}))).DetectorIds![0]!;
    await expect(gd('eu-west-1').send(new StopMonitoringMembersCommand({ DetectorId: await detectorIn('eu-west-1'), AccountIds: [MEMBER] }))).rejects.toMatchObject({ name: 'BadRequestException' });
    await gd('eu-west-1').send(new UpdateOrganizationConfigurationCommand({ DetectorId: await detectorIn('eu-west-1'), AutoEnableOrganizationMembers: 'NONE' }));
    await gd('eu-west-1').send(new StopMonitoringMembersCommand({ DetectorId: await detectorIn('eu-west-1'), AccountIds: [MEMBER] }));
    await gd('us-east-1').send(new DisassociateMembersCommand({ DetectorId: await detectorIn('us-east-1'), AccountIds: [MEMBER] }));
    await gd('ap-south-1').send(new UpdateMemberDetectorsCommand({ DetectorId: await detectorIn('ap-south-1'), AccountIds: [MEMBER], Features: [{ Name: 'S3_DATA_EVENTS', Status: 'DISABLED' }] }));
    expect(fake!.world.region(MEMBER, 'eu-west-1').detector!.status).toBe('DISABLED');

    const writes = fake!.writes().length;
    const detect = await runCheck(check, org.clients, { ...options, mode: 'detect' });
    expect(detect.findings.map((f) => [f.resourceId, f.key, f.severity]).sort()).toEqual([
      [`aws:${MANAGEMENT}/eu-west-1/guardduty/organization-configuration`, 'organization', 'critical'],
      [rid(MEMBER, 'ap-south-1'), 'member', 'high'],
      [rid(MEMBER, 'eu-west-1'), 'member', 'critical'],
      [rid(MEMBER, 'us-east-1'), 'member', 'critical'],
    ]);
    expect(fake!.writes()).toHaveLength(writes);

    const enforce = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(enforce.remediations!.map((r) => [r.resourceId, r.outcome, r.actions.join(',')]).sort()).toEqual([
      [`aws:${MANAGEMENT}/eu-west-1/guardduty/organization-configuration`, 'fixed', 'guardduty:UpdateOrganizationConfiguration'],
      [rid(MEMBER, 'ap-south-1'), 'fixed', 'guardduty:UpdateMemberDetectors'],
      [rid(MEMBER, 'eu-west-1'), 'fixed', 'guardduty:StartMonitoringMembers'],
      [rid(MEMBER, 'us-east-1'), 'fixed', 'guardduty:CreateMembers'],
    ]);
    // Only the administrator was used: no call at all was made with member credentials.
    expect(fake!.calls.filter((c) => c.account === MEMBER)).toEqual([]);
    expect(fake!.writes().slice(writes).every((c) => c.account === MANAGEMENT)).toBe(true);
    expect(fake!.world.region(MEMBER, 'eu-west-1').detector!.status).toBe('ENABLED');
    expect(fake!.world.region(MANAGEMENT, 'us-east-1').detector!.members.get(MEMBER)!.relationshipStatus).toBe('Enabled');
    expect(fake!.world.region(MEMBER, 'ap-south-1').detector!.features.get('S3_DATA_EVENTS')!.status).toBe('ENABLED');

    recordRun(db, detect);
    recordRun(db, enforce);
    const again = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(again.findings).toEqual([]);
    expect(fake!.writes()).toHaveLength(writes + 4);
    expect(recordRun(db, again).resolved).toBe(4);
    expect(statusOf(db, check.id, rid(MEMBER, 'eu-west-1'), 'member')).toBe('resolved');
  });

  it('a member deleted from GuardDuty is added back with its organization email; a refused CreateMembers is a critical finding', async () => {
    const org = await organization();
    const detectorId = fake!.world.region(MANAGEMENT, 'eu-west-1').detector!.id;
    await org.clients('guardduty', 'eu-west-1', ADMIN[0]!).send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    fake!.deny({ action: 'guardduty:CreateMembers', account: MANAGEMENT, region: 'eu-west-1' });
    const refused = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(refused.remediations).toEqual([expect.objectContaining({ resourceId: rid(MEMBER, 'eu-west-1'), outcome: 'failed', error: expect.stringContaining('AccessDeniedException') })]);
    expect(refused.findings.map((f) => `${f.key} ${f.severity}`).sort()).toEqual(['member critical', 'member#remediation-failed critical']);

    fake!.denies.length = 0;
    const fixed = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(fixed.remediations).toEqual([expect.objectContaining({ outcome: 'fixed', actions: ['guardduty:CreateMembers'] })]);
    const created = fake!.calls.filter((c) => c.action === 'CreateMembers' && c.status === 200).map((c) => c.body);
    expect(created).toEqual([{ accountDetails: [{ accountId: MEMBER, email: `aws+${MEMBER}@example.com` }] }]);
  });

  it('in a family job listing every account, only the administrator is asked (the first account, or `administrator`)', async () => {
    const org = await organization();
    fake!.world.region(MANAGEMENT, 'eu-west-1').detector!.members.get(MEMBER)!.relationshipStatus = 'Removed';
    const firstAccount = await runCheck(check, org.clients, { accounts: ACCOUNTS, baseline, mode: 'detect' });
    expect(firstAccount.outcome).toBe('ok');
    expect(firstAccount.findings.map((f) => f.resourceId)).toEqual([rid(MEMBER, 'eu-west-1')]);
    expect(fake!.calls.filter((c) => c.account === MEMBER)).toEqual([]);
    const named = await runCheck(check, org.clients, { accounts: [ACCOUNTS[1]!, ACCOUNTS[0]!], administrator: ACCOUNTS[0], baseline, mode: 'enforce' });
    expect(named.remediations).toEqual([expect.objectContaining({ outcome: 'fixed', actions: ['guardduty:CreateMembers'] })]);
    expect(fake!.calls.filter((c) => c.account === MEMBER)).toEqual([]);
  });

  it('an account that is not the delegated administrator cannot look: partial, never a pass', async () => {
    const org = await organization();
    fake!.world.guardDutyAdmin = MEMBER;
    const result = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => f.scope).sort()).toEqual(regions.map((r) => `aws:${MANAGEMENT}/${r}`).sort());
    expect(result.findings).toEqual([]);
    expect(fake!.writes()).toEqual([]);
  });
});
