import { ListAnalyzersCommand, type ListAnalyzersCommandOutput } from '@aws-sdk/client-accessanalyzer';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const accessAnalyzerRegionSchema = z.strictObject({
  analyzers: z.array(z.strictObject({ name: z.string(), arn: z.string(), type: z.string(), status: z.string() })),
});
export type AccessAnalyzerRegionState = z.output<typeof accessAnalyzerRegionSchema>;
export const accessAnalyzerInventorySchema = regionalInventorySchema(accessAnalyzerRegionSchema);

export async function readAccessAnalyzerRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<AccessAnalyzerRegionState> {
  const send = sender(clients('accessanalyzer', ref.region, ref.account), signal);
  const analyzers = await allPages(
    (nextToken) => send<ListAnalyzersCommandOutput>('access-analyzer:ListAnalyzers', new ListAnalyzersCommand({ nextToken, maxResults: 100 })),
    (out) => out.analyzers,
    (out) => out.nextToken,
  );
  return accessAnalyzerRegionSchema.parse({
    analyzers: analyzers.map((a) => ({ name: a.name ?? '', arn: a.arn ?? '', type: String(a.type ?? ''), status: String(a.status ?? '') })).sort((a, b) => a.name.localeCompare(b.name)),
  });
}

export const collectAccessAnalyzer = recordable('accessanalyzer', { regions: [], listed: [] } as RegionalInventory<AccessAnalyzerRegionState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectRegional(ctx, readAccessAnalyzerRegion),
);
