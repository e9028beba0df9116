import { BatchEnableStandardsCommand, EnableSecurityHubCommand } from '@aws-sdk/client-securityhub';
import { readSecurityHubRegion, type SecurityHubRegionState } from '../../cloud/aws/collect/securityhub.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { missingStandards, standardsFor, type SecurityHubBaseline } from '../securityhub-drift.js';
import { describeAwsFailure } from '../options.js';
import type { ApprovedBaseline } from '../baselines.js';

/** Enables the hub without AWS's default standards (the baseline says which), then the missing baseline standards. */
export async function remediateSecurityHub({
  data,
  findings,
  options,
  ctx,
}: RemediateInput<{ securityhub: RegionalInventory<SecurityHubRegionState>; baseline: ApprovedBaseline<SecurityHubBaseline> }, AwsScopeOptions>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.securityhub.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((f) => f.key === 'hub' && f.scope && byScope.has(f.scope));
  return mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('securityhub', ref.region, ref.account);
    const before = stateJson(region.data);
    const actions: string[] = [];
    try {
      if (!region.data.enabled) {
        actions.push('securityhub:EnableSecurityHub');
        await call('securityhub:EnableSecurityHub', () => client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }), { abortSignal: ctx.signal }));
      }
      const missing = region.data.enabled ? missingStandards(region.data, baseline, region.region) : standardsFor(baseline, region.region);
      if (missing.length > 0) {
        actions.push('securityhub:BatchEnableStandards');
        await call('securityhub:BatchEnableStandards', () =>
          client.send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: missing.map((arn) => ({ StandardsArn: arn })) }), { abortSignal: ctx.signal }),
        );
      }
      const after = await readSecurityHubRegion(ref, clients, ctx.signal);
      const left = after.enabled ? missingStandards(after, baseline, region.region) : ['(hub disabled)'];
      const verified = left.length === 0;
      return { resourceId: finding.resourceId, key: 'hub', actions, outcome: verified ? 'fixed' : 'failed', before, after: stateJson(after), ...(verified ? {} : { error: `read-back still missing: ${left.join(', ')}` }) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: 'hub', actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
}

function stateJson(state: SecurityHubRegionState): { [key: string]: JsonValue } {
  return { enabled: state.enabled, standards: state.standards.map((s) => ({ ...s })) };
}
