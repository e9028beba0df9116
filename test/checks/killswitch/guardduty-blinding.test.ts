import { afterEach, describe, expect, it } from 'vitest';
import { CreateFilterCommand, CreateIPSetCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import check from '../../../checks/killswitch/guardduty-blinding.js';
import { createAwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { checkTester } from '../../support/check-tester.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg, runCheck } from './aws-harness.js';

const options = { accounts: ACCOUNTS, baseline: { trustedIpSets: ['office'], archiveFilters: ['low-noise'] } };
const rid = (account: string, region: string) => `aws:${account}/${region}/guardduty/detector`;
const state = (ipSets: unknown[], filters: unknown[]) => ({ detectorId: 'd1', ipSets, filters });
const inventory = (data: unknown) => ({ suppression: { regions: [{ account: MEMBER, region: 'eu-west-1', scope: `aws:${MEMBER}/eu-west-1`, data }], listed: [] } });

checkTester(check, {
  pass: [
    {
      name: 'only the approved IP set and archive filter',
      options,
      inventory: inventory(state([{ id: 'i1', name: 'office', status: 'ACTIVE', location: 's3://b/office.txt' }], [{ name: 'low-noise', action: 'ARCHIVE', rank: 1 }])),
    },
    {
      name: 'an inactive IP set and a NOOP filter blind nothing',
      options,
      inventory: inventory(state([{ id: 'i2', name: 'attacker', status: 'INACTIVE', location: 's3://x/ips.txt' }], [{ name: 'saved-view', action: 'NOOP', rank: 2 }])),
    },
  ],
  fail: [
    {
      name: 'an attacker IP set and a catch-all archive filter',
      options,
      inventory: inventory(state([{ id: 'i2', name: 'attacker', status: 'ACTIVE', location: 's3://x/ips.txt' }], [{ name: 'hide-all', action: 'ARCHIVE', rank: 1 }])),
      findings: [
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'ipset:attacker', severity: 'critical', title: "Trusted IP set 'attacker'" },
        { resourceId: rid(MEMBER, 'eu-west-1'), key: 'filter:hide-all', severity: 'critical', title: 'auto-archives' },
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

    const detect = await runCheck(check, org.clients, { ...options, mode: 'detect' });
    expect(detect.findings.map((f) => f.key).sort()).toEqual(['filter:hide-all', 'ipset:attacker']);
    const writesByAttacker = fake.writes().length;

    const enforce = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(enforce.remediations?.map((r) => [r.key, r.outcome, r.actions[0], JSON.stringify(r.after)]).sort()).toEqual([
      ['filter:hide-all', 'fixed', 'guardduty:UpdateFilter', JSON.stringify({ kind: 'filter', name: 'hide-all', action: 'NOOP' })],
      ['ipset:attacker', 'fixed', 'guardduty:UpdateIPSet', JSON.stringify({ kind: 'ipset', name: 'attacker', status: 'INACTIVE' })],
    ]);
    const region = fake.world.region(MEMBER, 'eu-west-1').detector!;
    expect([...region.ipSets.values()].map((s) => s.name)).toEqual(['attacker']);
    expect(region.filters.get('hide-all')?.action).toBe('NOOP');

    const again = await runCheck(check, org.clients, { ...options, mode: 'enforce' });
    expect(again.findings).toEqual([]);
    expect(fake.writes()).toHaveLength(writesByAttacker + 2);
    expect(fake.calls.some((c) => c.account === MANAGEMENT && c.write)).toBe(false);
  });
});
