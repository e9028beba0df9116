import { ListSubscriptionsCommand, type ListSubscriptionsCommandOutput } from '@aws-sdk/client-sns';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

export const snsRegionSchema = z.strictObject({
  /** Every subscription of the region; `confirmed` is false while the ARN is still PendingConfirmation. */
  subscriptions: z.array(z.strictObject({ topicArn: z.string(), protocol: z.string(), confirmed: z.boolean() })),
});
export type SnsRegionState = z.output<typeof snsRegionSchema>;
export const snsInventorySchema = regionalInventorySchema(snsRegionSchema);

export async function readSnsRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<SnsRegionState> {
  const send = sender(clients('sns', ref.region, ref.account), signal);
  // One listing of the region's subscriptions instead of one ListSubscriptionsByTopic per alarm topic.
  const subscriptions = await allPages(
    (NextToken) => send<ListSubscriptionsCommandOutput>('sns:ListSubscriptions', new ListSubscriptionsCommand({ NextToken })),
    (out) => out.Subscriptions,
    (out) => out.NextToken,
  );
  return snsRegionSchema.parse({
    subscriptions: subscriptions
      .map((s) => ({ topicArn: s.TopicArn ?? '', protocol: s.Protocol ?? '', confirmed: Boolean(s.SubscriptionArn && s.SubscriptionArn.startsWith('arn:')) }))
      .sort((a, b) => `${a.topicArn}${a.protocol}`.localeCompare(`${b.topicArn}${b.protocol}`)),
  });
}

export const collectSns = recordable('sns', { regions: [], listed: [] } as RegionalInventory<SnsRegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readSnsRegion));
