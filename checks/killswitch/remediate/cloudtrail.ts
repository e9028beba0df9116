import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { readCloudTrailRegion, type CloudTrailRegionState, type TrailState } from '../../cloud/aws/collect/cloudtrail.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { trailDrift, type BaselineTrail, type CloudTrailBaseline } from '../cloudtrail-drift.js';
import { describeAwsFailure } from '../options.js';

type Options = AwsScopeOptions & { readonly baseline: CloudTrailBaseline };

/**
 * StartLogging goes to the trail's home region with the trail ARN: it "cannot be called on the shadow trails", and an
 * organization trail accepts it only from the management account (the error is recorded, not retried). A deleted
 * trail is re-created only when the baseline says `recreate: true`, and then StartLogging follows, because a trail
 * created through the API does not log until it is started (Prowler's fixer stops at CreateTrail).
 */
export async function remediateCloudTrail({ data, findings, options, ctx }: RemediateInput<{ cloudtrail: RegionalInventory<CloudTrailRegionState> }, Options>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const byScope = new Map(data.cloudtrail.regions.map((region) => [region.scope, region]));
  const work = findings.flatMap((finding) => {
    const region = finding.scope ? byScope.get(finding.scope) : undefined;
    const name = finding.resourceId.split(':trail/')[1];
    const intended = options.baseline.trails.find((trail) => trail.name === name && trail.homeRegion === region?.region);
    return region && intended && finding.key === 'trail' ? [{ finding, region, intended }] : [];
  });
  const records = await mapLimit(work, options.concurrency, async ({ finding, region, intended }): Promise<RemediationRecord | undefined> => {
    const actual = region.data.trails.find((trail) => trail.name === intended.name);
    const drift = trailDrift(actual, intended);
    if (drift.deleted && !intended.recreate) return undefined;
    if (!drift.deleted && !drift.stopped && !drift.selectorsNarrowed) return undefined;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('cloudtrail', ref.region, ref.account);
    const actions: string[] = [];
    const before = trailJson(actual);
    try {
      if (drift.deleted) {
        actions.push('cloudtrail:CreateTrail');
        await call('cloudtrail:CreateTrail', () =>
          client.send(
            new CreateTrailCommand({
              Name: intended.name,
              S3BucketName: intended.s3BucketName,
              IsMultiRegionTrail: intended.isMultiRegionTrail,
              IsOrganizationTrail: intended.isOrganizationTrail,
              IncludeGlobalServiceEvents: intended.includeGlobalServiceEvents,
            }),
            { abortSignal: ctx.signal },
          ),
        );
      }
      if (drift.deleted || drift.selectorsNarrowed) {
        actions.push('cloudtrail:PutEventSelectors');
        await call('cloudtrail:PutEventSelectors', () => client.send(new PutEventSelectorsCommand({ TrailName: finding.resourceId, EventSelectors: eventSelectors(intended) }), { abortSignal: ctx.signal }));
      }
      if (drift.deleted || drift.stopped) {
        actions.push('cloudtrail:StartLogging');
        await call('cloudtrail:StartLogging', () => client.send(new StartLoggingCommand({ Name: finding.resourceId }), { abortSignal: ctx.signal }));
      }
      const after = (await readCloudTrailRegion(ref, clients, ctx.signal)).trails.find((trail) => trail.name === intended.name);
      const left = trailDrift(after, intended);
      const verified = !left.deleted && !left.stopped && !left.selectorsNarrowed;
      return { resourceId: finding.resourceId, key: 'trail', actions, outcome: verified ? 'fixed' : 'failed', before, after: trailJson(after), ...(verified ? {} : { error: `read-back still differs: ${JSON.stringify(left)}` }) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: 'trail', actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
  return records.filter((record): record is RemediationRecord => record !== undefined);
}

function eventSelectors(trail: BaselineTrail) {
  return trail.eventSelectors.map((s) => ({ ReadWriteType: s.readWriteType, IncludeManagementEvents: s.includeManagementEvents, ExcludeManagementEventSources: [...s.excludeManagementEventSources] }));
}

function trailJson(trail: TrailState | undefined): { [key: string]: JsonValue } {
  if (!trail) return { exists: false };
  return {
    exists: true,
    logging: trail.logging,
    isMultiRegionTrail: trail.isMultiRegionTrail,
    s3BucketName: trail.s3BucketName,
    eventSelectors: trail.eventSelectors?.map((s) => ({ ...s, excludeManagementEventSources: [...s.excludeManagementEventSources] })) ?? null,
  };
}
