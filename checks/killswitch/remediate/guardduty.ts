import { CreateDetectorCommand, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyDetectorState } from '../../cloud/aws/collect/guardduty.js';
import { readGuardDutyDetector, readGuardDutySuppression } from '../../cloud/aws/collect/guardduty.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { baselineFeatures, guardDutyDrift, hasDrift, type GuardDutyBaseline } from '../guardduty-drift.js';
import { describeAwsFailure } from '../options.js';
import type { ApprovedBaseline } from '../baselines.js';
import { restoreDetectorChildren, unrestored } from './guardduty-children.js';


/**
 * Puts each drifted region's detector back to the baseline. A suspended detector is re-enabled with UpdateDetector:
 * CreateDetector fails while a detector exists (Prowler's fixer makes exactly that mistake). Only when ListDetectors
 * is empty is a detector created, with the baseline features, and then everything the deleted detector took with it
 * (trusted IP sets, threat lists, filters, findings export) is re-applied from the baseline. Every fix is verified
 * by reading the detector (and, after a re-creation, its children) back.
 */
export async function remediateGuardDutyDetectors({
  data,
  findings,
  options,
  ctx,
}: RemediateInput<{ detectors: RegionalInventory<GuardDutyDetectorState>; baseline: ApprovedBaseline<GuardDutyBaseline> }, AwsScopeOptions>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.detectors.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((finding) => finding.key === 'detector' && finding.scope && byScope.has(finding.scope));
  return mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('guardduty', ref.region, ref.account);
    const before = stateJson(region.data);
    const actions: string[] = [];
    const settings = { Enable: true, FindingPublishingFrequency: baseline.findingPublishingFrequency, Features: baselineFeatures(baseline) };
    try {
      if (region.data.detectorId === null) {
        actions.push('guardduty:CreateDetector');
        const created = await call('guardduty:CreateDetector', () => client.send(new CreateDetectorCommand(settings), { abortSignal: ctx.signal }));
        const detectorId = created.DetectorId!;
        const empty = { detectorId, ipSets: [], threatIntelSets: [], filters: [], publishingDestinations: [] };
        await restoreDetectorChildren({ client, detectorId, account: region.account, region: region.region, signal: ctx.signal }, empty, baseline, actions);
      } else {
        actions.push('guardduty:UpdateDetector');
        await call('guardduty:UpdateDetector', () => client.send(new UpdateDetectorCommand({ DetectorId: region.data.detectorId!, ...settings }), { abortSignal: ctx.signal }));
      }
      const after = await readGuardDutyDetector(ref, clients, ctx.signal);
      const drift = guardDutyDrift(after, baseline);
      const missing = region.data.detectorId === null ? unrestored(await readGuardDutySuppression(ref, clients, ctx.signal), baseline, region.account, region.region) : [];
      const verified = !hasDrift(drift) && missing.length === 0;
      ctx.log.warn({ scope: region.scope, actions, verified }, 'kill switch: GuardDuty detector restored');
      return {
        resourceId: finding.resourceId,
        key: 'detector',
        actions,
        outcome: verified ? 'fixed' : 'failed',
        before,
        after: stateJson(after),
        ...(verified ? {} : { error: `read-back still differs from the baseline: ${JSON.stringify({ ...drift, missing })}` }),
      };
    } catch (error) {
      ctx.log.error({ scope: region.scope, actions, err: error }, 'kill switch: GuardDuty remediation failed');
      return { resourceId: finding.resourceId, key: 'detector', actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
}

function stateJson(state: GuardDutyDetectorState): { [key: string]: JsonValue } {
  return {
    detectorId: state.detectorId,
    status: state.status,
    findingPublishingFrequency: state.findingPublishingFrequency,
    features: state.features.map((f) => ({ name: f.name, status: f.status, additional: f.additional.map((a) => ({ ...a })) })),
  };
}
