import { DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const cloudWatchRegionSchema = z.strictObject({
  alarms: z.array(
    z.strictObject({ name: z.string(), metricName: z.string().nullable(), namespace: z.string().nullable(), actionsEnabled: z.boolean(), alarmActions: z.array(z.string()) }),
  ),
});
export type CloudWatchRegionState = z.output<typeof cloudWatchRegionSchema>;
export const cloudWatchInventorySchema = regionalInventorySchema(cloudWatchRegionSchema);

export async function readCloudWatchRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<CloudWatchRegionState> {
  const send = sender(clients('cloudwatch', ref.region, ref.account), signal);
  const alarms = await allPages(
    (NextToken) => send<DescribeAlarmsCommandOutput>('cloudwatch:DescribeAlarms', new DescribeAlarmsCommand({ NextToken, MaxRecords: 100, AlarmTypes: ['MetricAlarm'] })),
    (out) => out.MetricAlarms,
    (out) => out.NextToken,
  );
  return cloudWatchRegionSchema.parse({
    alarms: alarms
      .map((a) => ({
        name: a.AlarmName ?? '',
        metricName: a.MetricName ?? null,
        namespace: a.Namespace ?? null,
        actionsEnabled: a.ActionsEnabled ?? true,
        alarmActions: [...(a.AlarmActions ?? [])].sort(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  });
}

export const collectCloudWatch = recordable('cloudwatch', { regions: [], listed: [] } as RegionalInventory<CloudWatchRegionState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectRegional(ctx, readCloudWatchRegion),
);
