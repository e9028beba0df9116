import { DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const logsRegionSchema = z.strictObject({
  metricFilters: z.array(
    z.strictObject({
      name: z.string(),
      logGroupName: z.string(),
      pattern: z.string(),
      metrics: z.array(z.strictObject({ name: z.string(), namespace: z.string() })),
    }),
  ),
});
export type LogsRegionState = z.output<typeof logsRegionSchema>;
export const logsInventorySchema = regionalInventorySchema(logsRegionSchema);

export async function readLogsRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<LogsRegionState> {
  const send = sender(clients('logs', ref.region, ref.account), signal);
  const filters = await allPages(
    (nextToken) => send<DescribeMetricFiltersCommandOutput>('logs:DescribeMetricFilters', new DescribeMetricFiltersCommand({ nextToken, limit: 50 })),
    (out) => out.metricFilters,
    (out) => out.nextToken,
  );
  return logsRegionSchema.parse({
    metricFilters: filters
      .map((f) => ({
        name: f.filterName ?? '',
        logGroupName: f.logGroupName ?? '',
        pattern: f.filterPattern ?? '',
        metrics: (f.metricTransformations ?? []).map((m) => ({ name: m.metricName ?? '', namespace: m.metricNamespace ?? '' })),
      }))
      .sort((a, b) => `${a.logGroupName}/${a.name}`.localeCompare(`${b.logGroupName}/${b.name}`)),
  });
}

export const collectLogs = recordable('logs', { regions: [], listed: [] } as RegionalInventory<LogsRegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readLogsRegion));
