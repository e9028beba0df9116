import { DescribeKeyCommand, GetKeyRotationStatusCommand, ListKeysCommand, type DescribeKeyCommandOutput } from '@aws-sdk/client-kms';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, readError, sender, type ReadError } from './paginate.js';
import { mapLimit } from '../../../../src/check-api/map-limit.js';
import type { AwsRegionRef } from './scopes.js';

const readErrorSchema = z.strictObject({ resource: z.string(), operation: z.string(), error: z.strictObject({ name: z.string(), message: z.string() }) });

export const kmsRegionSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      id: z.string(),
      arn: z.string(),
      manager: z.string().nullable(),
      spec: z.string().nullable(),
      state: z.string().nullable(),
      /** Null when not asked: rotation applies to enabled customer-managed symmetric keys only. */
      rotationEnabled: z.boolean().nullable(),
    }),
  ),
  readErrors: z.array(readErrorSchema),
});
export type KmsRegionState = z.output<typeof kmsRegionSchema>;
export const kmsInventorySchema = regionalInventorySchema(kmsRegionSchema);

export async function readKmsRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<KmsRegionState> {
  const send = sender(clients('kms', ref.region, ref.account), signal);
  const listed = await allPages(
    (Marker) => send<{ Keys?: { KeyId?: string; KeyArn?: string }[]; Truncated?: boolean; NextMarker?: string }>('kms:ListKeys', new ListKeysCommand({ Marker, Limit: 1000 })),
    (out) => out.Keys,
    (out) => (out.Truncated ? out.NextMarker : undefined),
  );
  const readErrors: ReadError[] = [];
  const keys = await mapLimit(listed, 8, async (key) => {
    const id = key.KeyId ?? '';
    try {
      const described = (await send<DescribeKeyCommandOutput>('kms:DescribeKey', new DescribeKeyCommand({ KeyId: id }))).KeyMetadata;
      const rotatable = described?.KeyManager === 'CUSTOMER' && described.KeySpec === 'SYMMETRIC_DEFAULT' && described.KeyState === 'Enabled';
      const rotation = rotatable ? await send<{ KeyRotationEnabled?: boolean }>('kms:GetKeyRotationStatus', new GetKeyRotationStatusCommand({ KeyId: id })) : null;
      return {
        id,
        arn: key.KeyArn ?? described?.Arn ?? '',
        manager: described?.KeyManager ?? null,
        spec: described?.KeySpec ?? null,
        state: described?.KeyState ?? null,
        rotationEnabled: rotation ? (rotation.KeyRotationEnabled ?? false) : null,
      };
    } catch (error) {
      readErrors.push(readError(key.KeyArn ?? id, error));
      return undefined;
    }
  });
  return kmsRegionSchema.parse({
    keys: keys.filter((k) => k !== undefined).sort((a, b) => a.id.localeCompare(b.id)),
    readErrors: readErrors.sort((a, b) => a.resource.localeCompare(b.resource)),
  });
}

export const collectKms = recordable('kms', { regions: [], listed: [] } as RegionalInventory<KmsRegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readKmsRegion));
