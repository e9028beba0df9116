import { UpdateFilterCommand, UpdateIPSetCommand, UpdateTrustedEntitySetCommand } from '@aws-sdk/client-guardduty';
import { readGuardDutySuppression, type GuardDutySuppressionState } from '../../cloud/aws/collect/guardduty.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import type { ApprovedBaseline } from '../baselines.js';
import { blindingDrift } from '../guardduty-blinding-drift.js';
import { forRegion, type GuardDutyBaseline } from '../guardduty-drift.js';
import { describeAwsFailure } from '../options.js';
import { restoreDetectorChildren } from './guardduty-children.js';

type Data = { suppression: RegionalInventory<GuardDutySuppressionState>; baseline: ApprovedBaseline<GuardDutyBaseline> };

/**
 * Per finding: an unapproved trusted IP set is deactivated and an unapproved ARCHIVE filter turned into NOOP (neither
 * is deleted: they are evidence of who the attacker wanted hidden); a changed approved filter, a deleted or inactive
 * threat list, a deleted export or approved item is put back from the baseline. Each fix is verified by listing the
 * region again and finding that item's drift gone.
 */
export async function remediateGuardDutyBlinding({ data, findings, options, ctx }: RemediateInput<Data, AwsScopeOptions>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.suppression.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((f) => f.scope && byScope.has(f.scope) && /^(ipset|filter|threatintel|destination):/.test(f.key ?? ''));
  return mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('guardduty', ref.region, ref.account);
    const detectorId = region.data.detectorId!;
    const key = finding.key!;
    const drift = blindingDrift(region.data, baseline, region.account, region.region);
    const before = itemJson(region.data, key);
    const actions: string[] = [];
    try {
      const name = key.slice(key.indexOf(':') + 1);
      const unapprovedIp = key.startsWith('ipset:') ? drift.unapprovedIpSets.find((s) => s.name === name) : undefined;
      const unapprovedFilter = key.startsWith('filter:') ? drift.unapprovedArchiveFilters.find((f) => f.name === name) : undefined;
      if (unapprovedIp?.api === 'trustedentityset') {
        actions.push('guardduty:UpdateTrustedEntitySet');
        await call('guardduty:UpdateTrustedEntitySet', () => client.send(new UpdateTrustedEntitySetCommand({ DetectorId: detectorId, TrustedEntitySetId: unapprovedIp.id, Activate: false }), { abortSignal: ctx.signal }));
      } else if (unapprovedIp) {
        actions.push('guardduty:UpdateIPSet');
        await call('guardduty:UpdateIPSet', () => client.send(new UpdateIPSetCommand({ DetectorId: detectorId, IpSetId: unapprovedIp.id, Activate: false }), { abortSignal: ctx.signal }));
      } else if (unapprovedFilter) {
        actions.push('guardduty:UpdateFilter');
        await call('guardduty:UpdateFilter', () => client.send(new UpdateFilterCommand({ DetectorId: detectorId, FilterName: name, Action: 'NOOP' }), { abortSignal: ctx.signal }));
      } else {
        // Restore exactly this item: the drift narrowed to it, so one finding's fix does not touch another's.
        await restoreDetectorChildren({ client, detectorId, account: region.account, region: region.region, signal: ctx.signal }, region.data, onlyBaseline(baseline, key, region.account, region.region), actions);
      }
      const after = await readGuardDutySuppression(ref, clients, ctx.signal);
      const stillThere = stillDrifted(blindingDrift(after, baseline, region.account, region.region), key);
      return { resourceId: finding.resourceId, key, actions, outcome: stillThere ? 'failed' : 'fixed', before, after: itemJson(after, key), ...(stillThere ? { error: 'read-back still differs from the baseline' } : {}) };
    } catch (error) {
      return { resourceId: finding.resourceId, key, actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
}

function stillDrifted(drift: ReturnType<typeof blindingDrift>, key: string): boolean {
  const name = key.slice(key.indexOf(':') + 1);
  if (key.startsWith('ipset:')) return drift.unapprovedIpSets.some((s) => s.name === name) || drift.missingIpSets.includes(name);
  if (key.startsWith('filter:')) return drift.unapprovedArchiveFilters.some((f) => f.name === name) || drift.changedFilters.some((c) => c.actual.name === name) || drift.missingFilters.includes(name);
  if (key.startsWith('threatintel:')) return drift.missingThreatIntelSets.includes(name) || drift.inactiveThreatIntelSets.some((s) => s.name === name);
  return drift.missingDestinations.includes(name);
}

/** The baseline with only the item this finding is about, so restoring it leaves every other item alone. */
function onlyBaseline(baseline: GuardDutyBaseline, key: string, account: string, region: string): GuardDutyBaseline {
  const name = key.slice(key.indexOf(':') + 1);
  return {
    ...baseline,
    trustedIpSets: key.startsWith('ipset:') ? baseline.trustedIpSets.filter((s) => s.name === name) : [],
    threatIntelSets: key.startsWith('threatintel:') ? baseline.threatIntelSets.filter((s) => s.name === name) : [],
    filters: key.startsWith('filter:') ? baseline.filters.filter((f) => f.name === name) : [],
    publishingDestinations: key.startsWith('destination:') ? baseline.publishingDestinations.filter((d) => forRegion(d.destinationArn, account, region) === name) : [],
  };
}

function itemJson(state: GuardDutySuppressionState, key: string): { [key: string]: JsonValue } {
  const name = key.slice(key.indexOf(':') + 1);
  if (key.startsWith('ipset:')) {
    const set = state.ipSets.find((s) => s.name === name);
    return { kind: 'ipset', name, status: set?.status ?? null };
  }
  if (key.startsWith('filter:')) {
    const filter = state.filters.find((f) => f.name === name);
    return { kind: 'filter', name, action: filter?.action ?? null, criteria: filter ? JSON.stringify(filter.findingCriteria) : null };
  }
  if (key.startsWith('threatintel:')) {
    const set = state.threatIntelSets.find((s) => s.name === name);
    return { kind: 'threatintel', name, status: set?.status ?? null };
  }
  return { kind: 'destination', arn: name, exists: state.publishingDestinations.some((d) => d.destinationArn === name) };
}
