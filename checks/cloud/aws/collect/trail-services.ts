import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import { readCloudTrailRegion, type CloudTrailRegionState } from './cloudtrail.js';
import { readConfigRegion, type ConfigRegionState } from './config.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { readSecurityHubRegion, type SecurityHubRegionState } from './securityhub.js';

/**
 * The CIS logging controls read CloudTrail, Config and Security Hub with the kill switch's readers (one reader per
 * service for both features); here they are wrapped for the CIS run group and the saved inventory. The schemas check
 * the fields CIS evaluates and pass the rest through, so a saved file survives fields added to the readers.
 */
const selector = z.looseObject({
  readWriteType: z.string(),
  includeManagementEvents: z.boolean(),
  excludeManagementEventSources: z.array(z.string()),
  dataResources: z.array(z.strictObject({ type: z.string(), values: z.array(z.string()) })).optional(),
});
const trail = z.looseObject({
  name: z.string(),
  arn: z.string(),
  homeRegion: z.string(),
  s3BucketName: z.string().nullable(),
  isMultiRegionTrail: z.boolean(),
  logFileValidationEnabled: z.boolean(),
  cloudWatchLogsLogGroupArn: z.string().nullable(),
  kmsKeyId: z.string().nullable(),
  logging: z.boolean(),
  eventSelectors: z.array(selector).nullable(),
  advancedEventSelectors: z.array(z.record(z.string(), z.unknown())).nullable(),
});
export const cloudTrailInventorySchema = regionalInventorySchema(z.looseObject({ trails: z.array(trail), shadows: z.array(z.string()) }));

export const configInventorySchema = regionalInventorySchema(
  z.looseObject({
    recorder: z.looseObject({ name: z.string(), allSupported: z.boolean(), includeGlobalResourceTypes: z.boolean() }).nullable(),
    recording: z.boolean(),
    lastStatus: z.string().nullable(),
  }),
);

export const securityHubInventorySchema = regionalInventorySchema(z.looseObject({ enabled: z.boolean(), hubArn: z.string().nullable() }));

export const collectTrails = recordable('cloudtrail', { regions: [], listed: [] } as RegionalInventory<CloudTrailRegionState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectRegional(ctx, readCloudTrailRegion),
);
export const collectConfigRecorders = recordable('config', { regions: [], listed: [] } as RegionalInventory<ConfigRegionState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectRegional(ctx, readConfigRegion),
);
export const collectSecurityHubs = recordable('securityhub', { regions: [], listed: [] } as RegionalInventory<SecurityHubRegionState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectRegional(ctx, readSecurityHubRegion),
);
