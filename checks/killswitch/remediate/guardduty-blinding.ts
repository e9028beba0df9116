import { UpdateFilterCommand, UpdateIPSetCommand } from '@aws-sdk/client-guardduty';
import type { z } from 'zod';
import { readGuardDutySuppression, type GuardDutySuppressionState } from '../../cloud/aws/collect/guardduty.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { blindingItems, type guardDutyBlindingBaseline } from '../guardduty-blinding-drift.js';
import { describeAwsFailure } from '../options.js';

type Options = AwsScopeOptions & { readonly baseline: z.output<typeof guardDutyBlindingBaseline> };

/**
 * Deactivates unapproved trusted IP sets and turns unapproved archive filters into NOOP filters. Neither is deleted:
 * they are evidence of who the attacker wanted hidden. Each fix is verified by listing the region again.
 */
export async function remediateGuardDutyBlinding({ data, findings, options, ctx }: RemediateInput<{ suppression: RegionalInventory<GuardDutySuppressionState> }, Options>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const byScope = new Map(data.suppression.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((f) => f.scope && byScope.has(f.scope) && /^(ipset|filter):/.test(f.key ?? ''));
  return mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('guardduty', ref.region, ref.account);
    const detectorId = region.data.detectorId!;
    const [prefix, ...rest] = (finding.key ?? '').split(':');
    const kind = prefix === 'ipset' ? 'ipset' : 'filter';
    const name = rest.join(':');
    const ipSet = region.data.ipSets.find((set) => set.name === name);
    const filter = region.data.filters.find((f) => f.name === name);
    const before: { [key: string]: JsonValue } = kind === 'ipset' ? { kind, name, status: ipSet?.status ?? null } : { kind, name, action: filter?.action ?? null };
    const action = kind === 'ipset' ? 'guardduty:UpdateIPSet' : 'guardduty:UpdateFilter';
    try {
      if (kind === 'ipset') await call(action, () => client.send(new UpdateIPSetCommand({ DetectorId: detectorId, IpSetId: ipSet!.id, Activate: false }), { abortSignal: ctx.signal }));
      else await call(action, () => client.send(new UpdateFilterCommand({ DetectorId: detectorId, FilterName: name, Action: 'NOOP' }), { abortSignal: ctx.signal }));
      const after = await readGuardDutySuppression(ref, clients, ctx.signal);
      const remaining = blindingItems(after, options.baseline);
      const stillThere = kind === 'ipset' ? remaining.ipSets.some((s) => s.name === name) : remaining.filters.some((f) => f.name === name);
      const afterJson: { [key: string]: JsonValue } = kind === 'ipset' ? { kind, name, status: after.ipSets.find((s) => s.name === name)?.status ?? null } : { kind, name, action: after.filters.find((f) => f.name === name)?.action ?? null };
      return { resourceId: finding.resourceId, key: finding.key!, actions: [action], outcome: stillThere ? 'failed' : 'fixed', before, after: afterJson, ...(stillThere ? { error: 'read-back still shows it active' } : {}) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: finding.key!, actions: [action], outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
}
