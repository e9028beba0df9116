import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { readCloudTrailRegion, type CloudTrailRegionState, type TrailState } from '../../cloud/aws/collect/cloudtrail.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import type { ApprovedBaseline } from '../baselines.js';
import { intendedSetting, trailDrift, withAccount, type BaselineTrail, type CloudTrailBaseline } from '../cloudtrail-drift.js';
import { describeAwsFailure } from '../options.js';

/**
 * StartLogging goes to the trail's home region with the trail ARN: it "cannot be called on the shadow trails", and an
 * organization trail accepts it only from the management account (the error is recorded, not retried). A deleted
 * trail is re-created only when the baseline says `recreate: true`, and then StartLogging follows, because a trail
 * created through the API does not log until it is started (Prowler's fixer stops at CreateTrail). Changed settings
 * (bucket, KMS key, CloudWatch Logs, validation, multi-region) go back with one UpdateTrail naming only those fields.
 */
export async function remediateCloudTrail({
  data,
  findings,
  options,
  ctx,
}: RemediateInput<{ cloudtrail: RegionalInventory<CloudTrailRegionState>; baseline: ApprovedBaseline<CloudTrailBaseline> }, AwsScopeOptions>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.cloudtrail.regions.map((region) => [region.scope, region]));
  const work = findings.flatMap((finding) => {
    const region = finding.scope ? byScope.get(finding.scope) : undefined;
    const name = finding.resourceId.split(':trail/')[1];
    const intended = baseline.trails.find((trail) => trail.name === name && trail.homeRegion === region?.region);
    return region && intended && finding.key === 'trail' ? [{ finding, region, intended }] : [];
  });
  const records = await mapLimit(work, options.concurrency, async ({ finding, region, intended }): Promise<RemediationRecord | undefined> => {
    const actual = region.data.trails.find((trail) => trail.name === intended.name);
    const drift = trailDrift(actual, intended, region.account);
    const settings = intended.restoreSettings ? drift.settings : [];
    if (drift.deleted && !intended.recreate) return undefined;
    if (!drift.deleted && !drift.stopped && !drift.selectorsNarrowed && settings.length === 0) return undefined;
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
              ...optionalSettings(intended, region.account),
            }),
            { abortSignal: ctx.signal },
          ),
        );
      }
      if (!drift.deleted && settings.length > 0) {
        actions.push('cloudtrail:UpdateTrail');
        const fields = Object.fromEntries(settings.map((s) => [UPDATE_FIELD[s.field], intendedSetting(intended, s.field, region.account)]));
        // CloudWatch Logs needs the group and the role together.
        if (fields.CloudWatchLogsLogGroupArn !== undefined || fields.CloudWatchLogsRoleArn !== undefined) Object.assign(fields, optionalSettings(intended, region.account, ['cloudWatchLogsLogGroupArn', 'cloudWatchLogsRoleArn']));
        await call('cloudtrail:UpdateTrail', () => client.send(new UpdateTrailCommand({ Name: finding.resourceId, ...fields }), { abortSignal: ctx.signal }));
      }
      if (drift.deleted || drift.selectorsNarrowed) {
        actions.push('cloudtrail:PutEventSelectors');
        const selectors = intended.advancedEventSelectors ? { AdvancedEventSelectors: intended.advancedEventSelectors as never } : { EventSelectors: eventSelectors(intended) };
        await call('cloudtrail:PutEventSelectors', () => client.send(new PutEventSelectorsCommand({ TrailName: finding.resourceId, ...selectors }), { abortSignal: ctx.signal }));
      }
      if (drift.deleted || drift.stopped) {
        actions.push('cloudtrail:StartLogging');
        await call('cloudtrail:StartLogging', () => client.send(new StartLoggingCommand({ Name: finding.resourceId }), { abortSignal: ctx.signal }));
      }
      const after = (await readCloudTrailRegion(ref, clients, ctx.signal)).trails.find((trail) => trail.name === intended.name);
      const left = trailDrift(after, intended, region.account);
      const verified = !left.deleted && !left.stopped && !left.selectorsNarrowed && (intended.restoreSettings ? left.settings.length === 0 : true);
      return { resourceId: finding.resourceId, key: 'trail', actions, outcome: verified ? 'fixed' : 'failed', before, after: trailJson(after), ...(verified ? {} : { error: `read-back still differs: ${JSON.stringify(left)}` }) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: 'trail', actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
  return records.filter((record): record is RemediationRecord => record !== undefined);
}

const UPDATE_FIELD = {
  s3BucketName: 'S3BucketName',
  s3KeyPrefix: 'S3KeyPrefix',
  isMultiRegionTrail: 'IsMultiRegionTrail',
  includeGlobalServiceEvents: 'IncludeGlobalServiceEvents',
  logFileValidationEnabled: 'EnableLogFileValidation',
  kmsKeyId: 'KmsKeyId',
  cloudWatchLogsLogGroupArn: 'CloudWatchLogsLogGroupArn',
  cloudWatchLogsRoleArn: 'CloudWatchLogsRoleArn',
} as const;

/** The baseline's optional settings as CreateTrail/UpdateTrail fields, `{account}` filled in. */
function optionalSettings(trail: BaselineTrail, account: string, only?: readonly (keyof typeof UPDATE_FIELD)[]) {
  const fields: Record<string, string | boolean> = {};
  for (const field of only ?? (['s3KeyPrefix', 'logFileValidationEnabled', 'kmsKeyId', 'cloudWatchLogsLogGroupArn', 'cloudWatchLogsRoleArn'] as const)) {
    const value = trail[field];
    if (value !== undefined) fields[UPDATE_FIELD[field]] = typeof value === 'string' ? withAccount(value, account) : value;
  }
  return fields;
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
    logFileValidationEnabled: trail.logFileValidationEnabled,
    kmsKeyId: trail.kmsKeyId,
    cloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
    eventSelectors: trail.eventSelectors?.map((s) => ({ readWriteType: s.readWriteType, includeManagementEvents: s.includeManagementEvents, excludeManagementEventSources: [...s.excludeManagementEventSources] })) ?? null,
  };
}
