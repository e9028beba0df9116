import { AwsFakeError, type FakeRequest, type Route } from './server.js';


/** AWS Config's JSON 1.1 API: one recorder and one delivery channel per region, and the order rules between them. */
export function routeConfig(request: FakeRequest): Route {
  // X-Amz-Target is `<service prefix>.<Operation>`; the prefix differs between SDK versions.
  const action = request.target.slice(request.target.lastIndexOf('.') + 1);
  const { json } = request;
  const state = () => request.world.region(request.account, request.region);
  switch (action) {
    case 'DescribeConfigurationRecorders':
      return read(action, () => ({ ConfigurationRecorders: state().recorder ? [structuredClone(state().recorder)] : [] }));
    case 'DescribeConfigurationRecorderStatus':
      return read(action, () => ({
        ConfigurationRecordersStatus: state().recorder
          ? [{ name: state().recorder!.name, recording: state().recording, lastStatus: state().recording ? 'SUCCESS' : 'PENDING' }]
          : [],
      }));
    case 'DescribeDeliveryChannels':
      return read(action, () => ({ DeliveryChannels: state().channel ? [structuredClone(state().channel)] : [] }));
    case 'PutConfigurationRecorder':
      return write(action, () => {
        const recorder = json.ConfigurationRecorder;
        if (state().recorder && state().recorder!.name !== recorder.name) {
          throw new AwsFakeError('MaxNumberOfConfigurationRecordersExceededException', 'Failed to put configuration recorder because you have reached the limit for the maximum number of customer managed configuration records: (1)');
        }
        if (!recorder.roleARN) throw new AwsFakeError('InvalidRoleException', 'The role ARN is invalid.');
        state().recorder = {
          name: recorder.name,
          roleARN: recorder.roleARN,
          recordingGroup: {
            allSupported: recorder.recordingGroup?.allSupported ?? true,
            includeGlobalResourceTypes: recorder.recordingGroup?.includeGlobalResourceTypes ?? false,
            resourceTypes: recorder.recordingGroup?.resourceTypes ?? [],
          },
        };
        return {};
      });
    case 'PutDeliveryChannel':
      return write(action, () => {
        if (!state().recorder) throw new AwsFakeError('NoAvailableConfigurationRecorderException', 'Configuration recorder is not available to put delivery channel.');
        state().channel = { ...json.DeliveryChannel };
        return {};
      });
    case 'StartConfigurationRecorder':
      return write(action, () => {
        if (state().recorder?.name !== json.ConfigurationRecorderName) {
          throw new AwsFakeError('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified name '${json.ConfigurationRecorderName}'.`);
        }
        if (!state().channel) throw new AwsFakeError('NoAvailableDeliveryChannelException', 'Delivery channel is not available to start configuration recorder.');
        state().recording = true;
        return {};
      });
    case 'StopConfigurationRecorder':
      return write(action, () => {
        state().recording = false;
        return {};
      });
    case 'DeleteConfigurationRecorder':
      return write(action, () => {
        delete state().recorder;
        state().recording = false;
        return {};
      });
    case 'DeleteDeliveryChannel':
      return write(action, () => {
        if (state().recording) throw new AwsFakeError('LastDeliveryChannelDeleteFailedException', 'Failed to delete last specified delivery channel because the configuration recorder is running.');
        delete state().channel;
        return {};
      });
    default:
      throw new AwsFakeError('UnknownOperationException', `fake Config has no ${action}`);
  }
}

function read(action: string, handle: () => unknown): Route {
  return { action, write: false, handle };
}
function write(action: string, handle: () => unknown): Route {
  return { action, write: true, handle };
}
