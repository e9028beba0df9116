import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { call } from './aws-errors.js';
import type { AwsClientFactory } from './clients.js';
import { collectPerRegion, type AwsRegionRef, type AwsScopeOptions, type RegionalInventory } from './scopes.js';

const trailSchema = z.object({
  Name: z.string(),
  TrailARN: z.string(),
  HomeRegion: z.string(),
  S3BucketName: z.string().optional(),
  IsMultiRegionTrail: z.boolean().default(false),
  IsOrganizationTrail: z.boolean().default(false),
  IncludeGlobalServiceEvents: z.boolean().default(false),
  S3KeyPrefix: z.string().optional(),
  SnsTopicARN: z.string().optional(),
  LogFileValidationEnabled: z.boolean().default(false),
  CloudWatchLogsLogGroupArn: z.string().optional(),
  CloudWatchLogsRoleArn: z.string().optional(),
  KmsKeyId: z.string().optional(),
});

const selectorSchema = z.object({
  ReadWriteType: z.string().default('All'),
  IncludeManagementEvents: z.boolean().default(true),
  ExcludeManagementEventSources: z.array(z.string()).default([]),
  DataResources: z.array(z.object({ Type: z.string(), Values: z.array(z.string()).default([]) })).default([]),
});

export interface TrailEventSelector {
  readonly readWriteType: string;
  readonly includeManagementEvents: boolean;
  readonly excludeManagementEventSources: readonly string[];
  /** Data events (CIS 3.8/3.9 read S3 object-level logging from here); absent in baselines written before it existed. */
  readonly dataResources?: readonly { readonly type: string; readonly values: readonly string[] }[];
}

/** A trail whose home is this region, with its logging status; shadows of other regions' trails are only named. */
export interface TrailState {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly s3BucketName: string | null;
  readonly isMultiRegionTrail: boolean;
  readonly isOrganizationTrail: boolean;
  readonly includeGlobalServiceEvents: boolean;
  readonly s3KeyPrefix: string | null;
  readonly snsTopicArn: string | null;
  readonly logFileValidationEnabled: boolean;
  readonly cloudWatchLogsLogGroupArn: string | null;
  readonly cloudWatchLogsRoleArn: string | null;
  /** The KMS key ARN the log files are encrypted with; null when they are not (SSE-S3 only). */
  readonly kmsKeyId: string | null;
  readonly logging: boolean;
  readonly stopLoggingTime: string | null;
  /** Why the last delivery to S3 failed (e.g. AccessDenied after a bucket policy change), or null. */
  readonly latestDeliveryError: string | null;
  readonly latestDeliveryTime: string | null;
  /** Seconds from the last delivery to this read; a trail that logs but stopped delivering is a lost log source. */
  readonly deliveryLagSeconds: number | null;
  /** Null when the trail uses advanced event selectors instead (see `advancedEventSelectors`). */
  readonly eventSelectors: readonly TrailEventSelector[] | null;
  /** As GetEventSelectors returns them, JSON-clean; null when the trail uses basic selectors. */
  readonly advancedEventSelectors: readonly { readonly [key: string]: unknown }[] | null;
}

export interface CloudTrailRegionState {
  readonly trails: readonly TrailState[];
  readonly shadows: readonly string[];
}

/**
 * DescribeTrails in every region; GetTrailStatus and GetEventSelectors only for trails whose home region this is, so
 * a multi-region trail is read once and not once per region (its shadows answer for the home trail).
 */
export async function readCloudTrailRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<CloudTrailRegionState> {
  const client = clients('cloudtrail', ref.region, ref.account);
  const described = await call('cloudtrail:DescribeTrails', () => client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal }));
  const trails = z.array(trailSchema).parse(described.trailList ?? []);
  const home = trails.filter((trail) => trail.HomeRegion === ref.region);
  const states = await Promise.all(
    home.map(async (trail): Promise<TrailState> => {
      const [status, selectors] = await Promise.all([
        call('cloudtrail:GetTrailStatus', () => client.send(new GetTrailStatusCommand({ Name: trail.TrailARN }), { abortSignal: signal })),
        call('cloudtrail:GetEventSelectors', () => client.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }), { abortSignal: signal })),
      ]);
      const basic = selectors.EventSelectors ? z.array(selectorSchema).parse(selectors.EventSelectors) : null;
      return {
        name: trail.Name,
        arn: trail.TrailARN,
        homeRegion: trail.HomeRegion,
        s3BucketName: trail.S3BucketName ?? null,
        isMultiRegionTrail: trail.IsMultiRegionTrail,
        isOrganizationTrail: trail.IsOrganizationTrail,
        includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents,
        s3KeyPrefix: trail.S3KeyPrefix ?? null,
        snsTopicArn: trail.SnsTopicARN ?? null,
        logFileValidationEnabled: trail.LogFileValidationEnabled,
        cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn ?? null,
        cloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn ?? null,
        kmsKeyId: trail.KmsKeyId ?? null,
        logging: z.boolean().parse(status.IsLogging ?? false),
        stopLoggingTime: status.StopLoggingTime ? status.StopLoggingTime.toISOString() : null,
        latestDeliveryError: status.LatestDeliveryError || null,
        latestDeliveryTime: status.LatestDeliveryTime ? status.LatestDeliveryTime.toISOString() : null,
        deliveryLagSeconds: status.LatestDeliveryTime ? Math.max(0, Math.round((Date.now() - status.LatestDeliveryTime.getTime()) / 1000)) : null,
        eventSelectors: basic?.map((s) => ({ readWriteType: s.ReadWriteType, includeManagementEvents: s.IncludeManagementEvents, excludeManagementEventSources: s.ExcludeManagementEventSources, dataResources: s.DataResources.map((d) => ({ type: d.Type, values: d.Values })) })) ?? null,
        advancedEventSelectors: selectors.AdvancedEventSelectors ? (JSON.parse(JSON.stringify(selectors.AdvancedEventSelectors)) as { [key: string]: unknown }[]) : null,
      };
    }),
  );
  return {
    trails: states.sort((a, b) => a.name.localeCompare(b.name)),
    shadows: trails.filter((trail) => trail.HomeRegion !== ref.region).map((trail) => trail.TrailARN).sort(),
  };
}

export function collectCloudTrail(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<CloudTrailRegionState>>> {
  return collectPerRegion(ctx, readCloudTrailRegion);
}
