import { PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { readConfigRegion, type ConfigRegionState } from '../../cloud/aws/collect/config.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions, type RegionalInventory } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { configDrift, hasConfigDrift, withAccount, type ConfigBaseline } from '../config-drift.js';
import { describeAwsFailure } from '../options.js';
import type { ApprovedBaseline } from '../baselines.js';

/**
 * Order matters to AWS Config: a delivery channel needs a recorder, and a recorder starts only with a channel. What
 * was deleted is re-created from the baseline; without a baseline for it, the attempt fails loudly instead of guessing.
 */
export async function remediateConfigRecorders({
  data,
  findings,
  options,
  ctx,
}: RemediateInput<{ config: RegionalInventory<ConfigRegionState>; baseline: ApprovedBaseline<ConfigBaseline> }, AwsScopeOptions>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.config.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((f) => f.key === 'recorder' && f.scope && byScope.has(f.scope));
  return mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('config', ref.region, ref.account);
    const drift = configDrift(region.data, baseline);
    const before = stateJson(region.data);
    const actions: string[] = [];
    const recorderName = region.data.recorder?.name ?? baseline.recorder?.name ?? 'default';
    try {
      if (drift.recorderMissing || drift.recordingNarrowed) {
        const intended = baseline.recorder;
        if (!intended) throw new Error('the recorder was deleted or narrowed and the baseline has no recorder to restore');
        actions.push('config:PutConfigurationRecorder');
        await call('config:PutConfigurationRecorder', () =>
          client.send(
            new PutConfigurationRecorderCommand({
              ConfigurationRecorder: {
                name: recorderName,
                roleARN: withAccount(intended.roleARN, region.account),
                recordingGroup: {
                  allSupported: intended.allSupported,
                  includeGlobalResourceTypes: intended.allSupported && region.region === baseline.globalResourceRegion,
                  ...(intended.allSupported ? {} : { resourceTypes: intended.resourceTypes as never }),
                },
              },
            }),
            { abortSignal: ctx.signal },
          ),
        );
      }
      if (drift.channelMissing) {
        const channel = baseline.deliveryChannel;
        if (!channel) throw new Error('the delivery channel was deleted and the baseline has none to restore');
        actions.push('config:PutDeliveryChannel');
        await call('config:PutDeliveryChannel', () =>
          client.send(
            new PutDeliveryChannelCommand({
              DeliveryChannel: {
                name: channel.name,
                s3BucketName: withAccount(channel.s3BucketName, region.account),
                ...(channel.s3KeyPrefix ? { s3KeyPrefix: channel.s3KeyPrefix } : {}),
                ...(channel.snsTopicARN ? { snsTopicARN: withAccount(channel.snsTopicARN, region.account) } : {}),
              },
            }),
            { abortSignal: ctx.signal },
          ),
        );
      }
      if (drift.stopped || drift.recorderMissing) {
        actions.push('config:StartConfigurationRecorder');
        await call('config:StartConfigurationRecorder', () => client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: recorderName }), { abortSignal: ctx.signal }));
      }
      const after = await readConfigRegion(ref, clients, ctx.signal);
      const left = configDrift(after, baseline);
      const verified = !hasConfigDrift(left);
      return { resourceId: finding.resourceId, key: 'recorder', actions, outcome: verified ? 'fixed' : 'failed', before, after: stateJson(after), ...(verified ? {} : { error: `read-back still differs: ${JSON.stringify(left)}` }) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: 'recorder', actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
}

function stateJson(state: ConfigRegionState): { [key: string]: JsonValue } {
  return {
    recorder: state.recorder ? { ...state.recorder, resourceTypes: [...state.recorder.resourceTypes] } : null,
    recording: state.recording,
    channel: state.channel ? { ...state.channel } : null,
  };
}
