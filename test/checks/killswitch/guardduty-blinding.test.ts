import { afterEach, describe, expect, it } from 'vitest';
import { CreateFilterCommand, CreateIPSetCommand, CreateTrustedEntitySetCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import check from '../../../checks/killswitch/guardduty-blinding.js';
import guardduty from '../../../checks/killswitch/guardduty-enabled.js';
import { createAwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { checkTester } from '../../support/check-tester.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';
import { approved } from './baseline-harness.js';

const baseline = {
  trustedIpSets: ['office'],
  filters: [{ name: 'low-noise', action: 'ARCHIVE', rank: 1, findingCriteria: { Criterion: { severity: { Lt: 4 } } } }],
  threatIntelSets: [{ name: 'feeds', format: 'TXT', location: 's3://intel/{region}/feeds.txt' }],
  publishingDestinations: [{ destinationArn: 'arn:aws:s3:::findings-export', kmsKeyArn: 'arn:aws:kms:{region}:{account}:key/k1' }],
};
const options = { accounts: ACCOUNTS, baseline };
const rid = (account: string, region: string) => `aws:${account}/${region}/guardduty/detector`;
const lowNoise = { name: 'low-noise', action: 'ARCHIVE', rank: 1, description: '', findingCriteria: { Criterion: { severity: { Lt: 4 } } } };
const feeds = { id: 't1', name: 'feeds', status: 'ACTIVE', format: 'TXT', location: 's3://intel/eu-west-1/feeds.txt' };
const exportTo = { id: 'p1', type: 'S3', status: 'PUBLISHING', destinationArn: 'arn:aws:s3:::findings-export', kmsKeyArn: `arn:aws:kms:eu-west-1:${MEMBER}:key/k1` };
const state = (ipSets: unknown[], filters: unknown[], extra: Record<string, unknown> = {}) => ({ detectorId: 'd1', ipSets, filters, threatIntelSets: [feeds], publishingDestinations: [exportTo], ...extra });
const office = { id: 'i1', name: 'office', status: 'ACTIVE', format: 'TXT', location: 's3://b/office.txt' };
const inventory = (data: unknown) => ({ baseline: approved('guardduty', baseline), suppression: { regions: [{ account: MEMBER, region: 'eu-west-1', scope: `aws:${MEMBER}/eu-west-1`, data }], listed: [] } });

checkTester(check, {
  pass: [
    { name: 'only the approved IP set, filter, threat list and export', options, inventory: inventory(state([office], [lowNoise])) },
    {
      name: 'an inactive IP set and a NOOP filter blind nothing',
      options,
      inventory: inventory(state([office, { id: 'i2', name: 'attacker', status: 'INACTIVE', format: 'TXT', location: 's3://x/ips.txt' }], [lowNoise, { name: 'saved-view', action: 'NOOP', rank: 2, description: '', findingCriteria: {} }])),
    },
    { name: 'no detector: guardduty-enabled reports that', options, inventory: inventory({ detectorId: null, ipSets: [], filters: [], threatIntelSets: [], publishingDestinations: [] }) },
  ],
  fail: [
    {
      name: 'an attacker IP set and a catch-all archive filter',
      options,
      inventory: inventory(state([office, { id: 'i2', name: 'attacker', status: 'ACTIVE', format: 'TXT', location: 's3://x/ips.txt' }], [lowNoise, { name: 'hide-all', action: 'ARCHIVE', rank: 1, description: '', findingCriteria: {} }])),
      findings: [
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'ipset:attacker', severity: 'critical', title: "Trusted IP set 'attacker'" },
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'filter:hide-all', severity: 'critical', title: 'auto-archives' },
      ],
    },
    {
      name: 'the approved suppression rule widened to everything',
      options,
      inventory: inventory(state([office], [{ ...lowNoise, findingCriteria: { Criterion: { severity: { Gte: 0 } } } }])),
      findings: [{ resourceId: rid(MEMBER, 'eu-west-1'), key: 'filter:low-noise', severity: 'critical', title: 'was changed' }],
    },
    {
      name: 'threat list deactivated, export deleted, approved items gone',
      options,
      inventory: inventory(state([], [], { threatIntelSets: [{ ...feeds, status: 'INACTIVE' }], publishingDestinations: [] })),
      findings: [
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'threatintel:feeds', severity: 'high', title: 'INACTIVE' },
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'destination:arn:aws:s3:::findings-export', severity: 'high', title: 'no longer exports' },
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'ipset:office', severity: 'low', title: 'missing' },
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'filter:low-noise', severity: 'low', title: 'missing' },
      ],
    },
  ],
});

describe('killswitch.guardduty-blinding against the AWS fake', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('an attacker with a stolen key adds a trusted IP set and an archive filter; enforce neutralises both and keeps them as evidence', async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    // The attacker's own client, with the member account's keys, over the same wire.
    const attacker = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MEMBER), maxAttempts: 1 })('guardduty', 'eu-west-1', { id: MEMBER });
    const [detectorId] = (await attacker.send(new ListDetectorsCommand({}))).DetectorIds!;
    await attacker.send(new CreateIPSetCommand({ DetectorId: detectorId!, Name: 'attacker', Format: 'TXT', Location: 's3://evil/ips.txt', Activate: true }));
    await attacker.send(new CreateFilterCommand({ DetectorId: detectorId!, Name: 'hide-all', Action: 'ARCHIVE', Rank: 1, FindingCriteria: { Criterion: { severity: { Gte: 0 } } } }));

    const detect = await runCheck(check, org.clients, { baseline: {}, mode: 'detect' });
    expect(detect.findings.map((f) => f.key).sort()).toEqual(['filter:hide-all', 'ipset:attacker']);
    const writesByAttacker = fake.writes().length;

    const enforce = await runCheck(check, org.clients, { baseline: {}, mode: 'enforce' });
    expect(enforce.remediations?.map((r) => [r.key, r.outcome, r.actions[0], JSON.stringify(r.after)]).sort()).toEqual([
      ['filter:hide-all', 'fixed', 'guardduty:UpdateFilter', JSON.stringify({ kind: 'filter', name: 'hide-all', action: 'NOOP', criteria: JSON.stringify({ Criterion: { severity: { Gte: 0 } } }) })],
      ['ipset:attacker', 'fixed', 'guardduty:UpdateIPSet', JSON.stringify({ kind: 'ipset', name: 'attacker', status: 'INACTIVE' })],
    ]);
    const region = fake.world.region(MEMBER, 'eu-west-1').detector!;
    expect([...region.ipSets.values()].map((s) => s.name)).toEqual(['attacker']);
    expect(region.filters.get('hide-all')?.action).toBe('NOOP');

    const again = await runCheck(check, org.clients, { baseline: {}, mode: 'enforce' });
    expect(again.findings).toEqual([]);
    expect(fake.writes()).toHaveLength(writesByAttacker + 2);
    expect(fake.calls.some((c) => c.account === MANAGEMENT && c.write)).toBe(false);
  });
});

describe('killswitch.guardduty-blinding: the trusted entity set API', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('a trusted entity set (the newer API for IPs and domains) blinds GuardDuty like an IP set: reported and deactivated through its own API', async () => {
    const org = await protectedOrg({ regions: ['us-east-1'] });
    fake = org.fake;
    const attacker = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MEMBER), maxAttempts: 1 })('guardduty', 'us-east-1', { id: MEMBER });
    const [detectorId] = (await attacker.send(new ListDetectorsCommand({}))).DetectorIds!;
    await attacker.send(new CreateTrustedEntitySetCommand({ DetectorId: detectorId!, Name: 'partners', Format: 'TXT', Location: 's3://evil/entities.txt', Activate: true }));
    const enforce = await runCheck(check, org.clients, { baseline: {}, mode: 'enforce' });
    expect(enforce.findings.filter((f) => !f.key!.includes('#')).map((f) => [f.key, f.severity, f.title])).toEqual([['ipset:partners', 'critical', expect.stringContaining('Trusted entity set')]]);
    expect(enforce.remediations).toEqual([expect.objectContaining({ outcome: 'fixed', actions: ['guardduty:UpdateTrustedEntitySet'] })]);
    expect([...fake.world.region(MEMBER, 'us-east-1').detector!.trustedEntitySets.values()].map((s) => s.status)).toEqual(['INACTIVE']);
  });
});

describe('killswitch.guardduty-blinding: threat entity sets', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('an approved threat entity set that is deactivated, then deleted, is re-activated, then re-created through its own API', async () => {
    const org = await protectedOrg({ regions: ['us-east-1'] });
    fake = org.fake;
    const lists = { threatIntelSets: [{ name: 'domains', format: 'TXT', location: 's3://intel/domains.txt', api: 'threatentityset' }] };
    const first = await runCheck(check, org.clients, { baseline: lists, mode: 'enforce' });
    expect(first.remediations?.map((r) => r.actions.join(','))).toEqual(['guardduty:CreateThreatEntitySet', 'guardduty:CreateThreatEntitySet']);
    const detector = fake.world.region(MEMBER, 'us-east-1').detector!;
    const [id] = [...detector.threatEntitySets.keys()];
    detector.threatEntitySets.get(id!)!.status = 'INACTIVE';
    const reactivated = await runCheck(check, org.clients, { baseline: lists, mode: 'enforce' });
    expect(reactivated.remediations?.map((r) => [r.resourceId, r.key, r.actions.join(',')])).toEqual([[rid(MEMBER, 'us-east-1'), 'threatintel:domains', 'guardduty:UpdateThreatEntitySet']]);
    detector.threatEntitySets.clear();
    const recreated = await runCheck(check, org.clients, { baseline: lists, mode: 'enforce' });
    expect(recreated.remediations?.map((r) => [r.outcome, r.actions.join(',')])).toEqual([['fixed', 'guardduty:CreateThreatEntitySet']]);
    expect([...detector.threatEntitySets.values()]).toEqual([{ name: 'domains', format: 'TXT', location: 's3://intel/domains.txt', status: 'ACTIVE' }]);
    expect(detector.threatIntelSets.size).toBe(0);
  });
});

describe('GuardDuty detector children: restored from the baseline', () => {
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const children = {
    trustedIpSets: [{ name: 'office', format: 'TXT', location: 's3://lists/office.txt' }],
    threatIntelSets: [{ name: 'feeds', format: 'TXT', location: 's3://intel/{region}/feeds.txt' }],
    filters: [{ name: 'low-noise', action: 'ARCHIVE', rank: 1, findingCriteria: { Criterion: { severity: { Lt: 4 } } } }],
    publishingDestinations: [{ destinationArn: 'arn:aws:s3:::findings-export', kmsKeyArn: 'arn:aws:kms:{region}:{account}:key/k1' }],
  };
  const FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS'];
  const full = { features: FEATURES.map((name) => ({ name })), ...children };

  async function withChildren() {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    // Apply the approved children everywhere through the kill switch itself (an empty detector has all of them missing).
    const first = await runCheck(check, org.clients, { baseline: full, mode: 'enforce' });
    expect(first.remediations!.every((r) => r.outcome === 'fixed')).toBe(true);
    expect((await runCheck(check, org.clients, { baseline: full, mode: 'detect' })).findings).toEqual([]);
    return org;
  }

  it('a deleted detector is re-created with its IP sets, threat lists, filters and export in the same run, verified, and idempotent', async () => {
    const org = await withChildren();
    fake!.world.deleteDetector(MEMBER, 'eu-west-1');
    const writes = fake!.writes().length;
    const result = await runCheck(guardduty, org.clients, { baseline: full, mode: 'enforce' });
    expect(result.remediations).toEqual([
      expect.objectContaining({
        resourceId: rid(MEMBER, 'eu-west-1'),
        outcome: 'fixed',
        actions: ['guardduty:CreateDetector', 'guardduty:CreateIPSet', 'guardduty:CreateThreatIntelSet', 'guardduty:CreateFilter', 'guardduty:CreatePublishingDestination'],
      }),
    ]);
    const detector = fake!.world.region(MEMBER, 'eu-west-1').detector!;
    expect([...detector.threatIntelSets.values()]).toEqual([{ name: 'feeds', format: 'TXT', location: 's3://intel/eu-west-1/feeds.txt', status: 'ACTIVE' }]);
    expect([...detector.publishingDestinations.values()]).toEqual([{ destinationType: 'S3', destinationArn: 'arn:aws:s3:::findings-export', kmsKeyArn: `arn:aws:kms:eu-west-1:${MEMBER}:key/k1` }]);
    expect(detector.filters.get('low-noise')).toMatchObject({ action: 'ARCHIVE', rank: 1 });
    expect((await runCheck(check, org.clients, { baseline: full, mode: 'enforce' })).findings).toEqual([]);
    expect((await runCheck(guardduty, org.clients, { baseline: full, mode: 'enforce' })).remediations).toBeUndefined();
    expect(fake!.writes()).toHaveLength(writes + 5);
  });

  it('a threat list deleted, the export deleted and the suppression rule widened are each put back, and nothing else is touched', async () => {
    const org = await withChildren();
    const detector = fake!.world.region(MANAGEMENT, 'us-east-1').detector!;
    detector.threatIntelSets.clear();
    detector.publishingDestinations.clear();
    detector.filters.get('low-noise')!.criteria = { criterion: { severity: { gte: 0 } } };
    const writes = fake!.writes().length;
    const result = await runCheck(check, org.clients, { baseline: full, mode: 'enforce' });
    expect(result.remediations?.map((r) => [r.key, r.outcome, r.actions.join(',')]).sort()).toEqual([
      ['destination:arn:aws:s3:::findings-export', 'fixed', 'guardduty:CreatePublishingDestination'],
      ['filter:low-noise', 'fixed', 'guardduty:UpdateFilter'],
      ['threatintel:feeds', 'fixed', 'guardduty:CreateThreatIntelSet'],
    ]);
    expect(fake!.writes().slice(writes).every((c) => c.account === MANAGEMENT && c.region === 'us-east-1')).toBe(true);
    expect(detector.filters.get('low-noise')!.criteria).toEqual({ criterion: { severity: { lt: 4 } } });
    expect((await runCheck(check, org.clients, { baseline: full, mode: 'enforce' })).findings).toEqual([]);
  });
});
