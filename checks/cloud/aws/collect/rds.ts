import { DescribeDBInstancesCommand, type DescribeDBInstancesCommandOutput } from '@aws-sdk/client-rds';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const rdsRegionSchema = z.strictObject({
  instances: z.array(
    z.strictObject({
      id: z.string(),
      arn: z.string(),
      engine: z.string().nullable(),
      storageEncrypted: z.boolean(),
      autoMinorVersionUpgrade: z.boolean(),
      publiclyAccessible: z.boolean(),
      multiAz: z.boolean(),
    }),
  ),
});
export type RdsRegionState = z.output<typeof rdsRegionSchema>;
export const rdsInventorySchema = regionalInventorySchema(rdsRegionSchema);

export async function readRdsRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<RdsRegionState> {
  const send = sender(clients('rds', ref.region, ref.account), signal);
  const instances = await allPages(
    (Marker) => send<DescribeDBInstancesCommandOutput>('rds:DescribeDBInstances', new DescribeDBInstancesCommand({ Marker, MaxRecords: 100 })),
    (out) => out.DBInstances,
    (out) => out.Marker,
  );
  return rdsRegionSchema.parse({
    instances: instances
      .map((db) => ({
        id: db.DBInstanceIdentifier ?? '',
        arn: db.DBInstanceArn ?? '',
        engine: db.Engine ?? null,
        storageEncrypted: db.StorageEncrypted ?? false,
        autoMinorVersionUpgrade: db.AutoMinorVersionUpgrade ?? false,
        publiclyAccessible: db.PubliclyAccessible ?? false,
        multiAz: db.MultiAZ ?? false,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  });
}

export const collectRds = recordable('rds', { regions: [], listed: [] } as RegionalInventory<RdsRegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readRdsRegion));
