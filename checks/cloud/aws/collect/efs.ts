import { DescribeFileSystemsCommand, type DescribeFileSystemsCommandOutput } from '@aws-sdk/client-efs';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const efsRegionSchema = z.strictObject({
  fileSystems: z.array(z.strictObject({ id: z.string(), arn: z.string(), encrypted: z.boolean() })),
});
export type EfsRegionState = z.output<typeof efsRegionSchema>;
export const efsInventorySchema = regionalInventorySchema(efsRegionSchema);

export async function readEfsRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<EfsRegionState> {
  const send = sender(clients('efs', ref.region, ref.account), signal);
  const fileSystems = await allPages(
    (Marker) => send<DescribeFileSystemsCommandOutput>('elasticfilesystem:DescribeFileSystems', new DescribeFileSystemsCommand({ Marker, MaxItems: 100 })),
    (out) => out.FileSystems,
    (out) => out.NextMarker,
  );
  return efsRegionSchema.parse({
    fileSystems: fileSystems.map((fs) => ({ id: fs.FileSystemId ?? '', arn: fs.FileSystemArn ?? '', encrypted: fs.Encrypted ?? false })).sort((a, b) => a.id.localeCompare(b.id)),
  });
}

export const collectEfs = recordable('efs', { regions: [], listed: [] } as RegionalInventory<EfsRegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readEfsRegion));
