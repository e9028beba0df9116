import { z } from 'zod';
import type { ConfigRegionState } from '../cloud/aws/collect/config.js';
import { awsRegionName } from '../cloud/aws/collect/scope-options.js';

/** The recorder and delivery channel every region must have; `{account}` in ARNs stands for the audited account. */
export const configBaseline = z.strictObject({
  recorder: z
    .strictObject({
      name: z.string().min(1).default('default'),
      roleARN: z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|\{account\}):role\/.+$/),
      allSupported: z.boolean().default(true),
      resourceTypes: z.array(z.string()).default([]),
    })
    .optional(),
  deliveryChannel: z
    .strictObject({
      name: z.string().min(1).default('default'),
      s3BucketName: z.string().min(3),
      s3KeyPrefix: z.string().optional(),
      snsTopicARN: z.string().optional(),
    })
    .optional(),
  /** Global resources (IAM) are recorded in one region only, or every region would record them again. */
  globalResourceRegion: awsRegionName.default('us-east-1'),
});
export type ConfigBaseline = z.output<typeof configBaseline>;

export interface ConfigDrift {
  readonly recorderMissing: boolean;
  readonly channelMissing: boolean;
  readonly stopped: boolean;
  readonly recordingNarrowed: boolean;
}

export function configDrift(state: ConfigRegionState, baseline: ConfigBaseline): ConfigDrift {
  const recorderMissing = state.recorder === null;
  const intended = baseline.recorder;
  const recordingNarrowed =
    !recorderMissing && intended !== undefined && ((intended.allSupported && !state.recorder!.allSupported) || intended.resourceTypes.some((type) => !state.recorder!.resourceTypes.includes(type)));
  return { recorderMissing, channelMissing: state.channel === null, stopped: !state.recording, recordingNarrowed };
}

export function hasConfigDrift(drift: ConfigDrift): boolean {
  return drift.recorderMissing || drift.channelMissing || drift.stopped || drift.recordingNarrowed;
}

export function withAccount(value: string, account: string): string {
  return value.replaceAll('{account}', account);
}
