import { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand, DescribeDeliveryChannelsCommand } from '@aws-sdk/client-config-service';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { call } from './aws-errors.js';
import type { AwsClientFactory } from './clients.js';
import { collectPerRegion, type AwsRegionRef, type AwsScopeOptions, type RegionalInventory } from './scopes.js';

const recorderSchema = z.object({
  name: z.string(),
  roleARN: z.string().optional(),
  recordingGroup: z
    .object({ allSupported: z.boolean().default(false), includeGlobalResourceTypes: z.boolean().default(false), resourceTypes: z.array(z.string()).default([]) })
    .optional(),
});
const statusSchema = z.object({ name: z.string(), recording: z.boolean().default(false), lastStatus: z.string().optional() });
const channelSchema = z.object({ name: z.string(), s3BucketName: z.string().optional(), s3KeyPrefix: z.string().optional(), snsTopicARN: z.string().optional() });

export interface ConfigRegionState {
  readonly recorder: {
    readonly name: string;
    readonly roleARN: string | null;
    readonly allSupported: boolean;
    readonly includeGlobalResourceTypes: boolean;
    readonly resourceTypes: readonly string[];
  } | null;
  readonly recording: boolean;
  readonly lastStatus: string | null;
  readonly channel: { readonly name: string; readonly s3BucketName: string | null; readonly s3KeyPrefix: string | null; readonly snsTopicARN: string | null } | null;
}

/** AWS Config allows one customer-managed recorder and one delivery channel per region. */
export async function readConfigRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<ConfigRegionState> {
  const client = clients('config', ref.region, ref.account);
  const [recorders, statuses, channels] = await Promise.all([
    call('config:DescribeConfigurationRecorders', () => client.send(new DescribeConfigurationRecordersCommand({}), { abortSignal: signal })),
    call('config:DescribeConfigurationRecorderStatus', () => client.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal: signal })),
    call('config:DescribeDeliveryChannels', () => client.send(new DescribeDeliveryChannelsCommand({}), { abortSignal: signal })),
  ]);
  const recorder = z.array(recorderSchema).parse(recorders.ConfigurationRecorders ?? [])[0];
  const status = z.array(statusSchema).parse(statuses.ConfigurationRecordersStatus ?? []).find((s) => s.name === recorder?.name);
  const channel = z.array(channelSchema).parse(channels.DeliveryChannels ?? [])[0];
  return {
    recorder: recorder
      ? {
          name: recorder.name,
          roleARN: recorder.roleARN ?? null,
          allSupported: recorder.recordingGroup?.allSupported ?? false,
          includeGlobalResourceTypes: recorder.recordingGroup?.includeGlobalResourceTypes ?? false,
          resourceTypes: [...(recorder.recordingGroup?.resourceTypes ?? [])].sort(),
        }
      : null,
    recording: status?.recording ?? false,
    lastStatus: status?.lastStatus ?? null,
    channel: channel ? { name: channel.name, s3BucketName: channel.s3BucketName ?? null, s3KeyPrefix: channel.s3KeyPrefix ?? null, snsTopicARN: channel.snsTopicARN ?? null } : null,
  };
}

export function collectConfigRecorders(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<ConfigRegionState>>> {
  return collectPerRegion(ctx, readConfigRegion);
}
