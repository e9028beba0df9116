import { AwsFakeError, type FakeRequest, type Route } from './server.js';
import type { FakeTrail } from './world.js';


/** CloudTrail's JSON 1.1 API with its home-region and organization rules. */
export function routeCloudTrail(request: FakeRequest): Route {
  // X-Amz-Target is `<service prefix>.<Operation>`; the prefix differs between SDK versions.
  const action = request.target.slice(request.target.lastIndexOf('.') + 1);
  const { json, account, region } = request;
  const trails = request.world.account(account).trails;
  const arnOf = (trail: FakeTrail) => `arn:aws:cloudtrail:${trail.homeRegion}:${account}:trail/${trail.name}`;
  /** By ARN from any region; by bare name only where the trail lives, as a shadow trail has no name of its own there. */
  const find = (nameOrArn: string): FakeTrail => {
    const byArn = /^arn:aws:cloudtrail:[^:]+:\d{12}:trail\/(.+)$/.exec(nameOrArn);
    const trail = trails.get(byArn ? byArn[1]! : nameOrArn);
    if (!trail || (!byArn && trail.homeRegion !== region)) throw new AwsFakeError('TrailNotFoundException', `Unknown trail: ${nameOrArn} for the user: ${account}`);
    return trail;
  };
  const mustBeHome = (trail: FakeTrail) => {
    if (trail.homeRegion !== region) {
      throw new AwsFakeError('InvalidHomeRegionException', `This operation must be called from the trail's home region (${trail.homeRegion}); it cannot be called on the shadow trails`);
    }
    if (trail.isOrganizationTrail && request.world.managementAccount !== account) {
      throw new AwsFakeError('NotOrganizationMasterAccountException', 'This operation can be performed only by the management account of the organization.');
    }
  };
  switch (action) {
    case 'DescribeTrails':
      return read(action, () => ({
        trailList: [...trails.values()]
          .filter((trail) => trail.homeRegion === region || (trail.isMultiRegionTrail && json.includeShadowTrails !== false))
          .filter((trail) => !json.trailNameList?.length || json.trailNameList.includes(trail.name) || json.trailNameList.includes(arnOf(trail)))
          .map((trail) => ({
            Name: trail.name,
            S3BucketName: trail.s3BucketName,
            IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
            IsMultiRegionTrail: trail.isMultiRegionTrail,
            HomeRegion: trail.homeRegion,
            TrailARN: arnOf(trail),
            LogFileValidationEnabled: trail.logFileValidationEnabled,
            ...(trail.kmsKeyId ? { KmsKeyId: trail.kmsKeyId } : {}),
            ...(trail.cloudWatchLogsLogGroupArn ? { CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn } : {}),
            HasCustomEventSelectors: true,
            HasInsightSelectors: false,
            IsOrganizationTrail: trail.isOrganizationTrail,
          })),
      }));
    case 'GetTrailStatus':
      return read(action, () => {
        const trail = find(json.Name);
        return {
          IsLogging: trail.logging,
          ...(trail.stopLoggingTime ? { StopLoggingTime: trail.stopLoggingTime.getTime() / 1000 } : {}),
          ...(trail.startLoggingTime ? { StartLoggingTime: trail.startLoggingTime.getTime() / 1000 } : {}),
          ...(trail.latestDeliveryTime ? { LatestDeliveryTime: trail.latestDeliveryTime.getTime() / 1000 } : {}),
          ...(trail.latestDeliveryError ? { LatestDeliveryError: trail.latestDeliveryError } : {}),
        };
      });
    case 'GetEventSelectors':
      return read(action, () => {
        const trail = find(json.TrailName);
        return trail.advancedEventSelectors ? { TrailARN: arnOf(trail), AdvancedEventSelectors: trail.advancedEventSelectors } : { TrailARN: arnOf(trail), EventSelectors: trail.eventSelectors };
      });
    case 'UpdateTrail':
      return write(action, () => {
        const trail = find(json.Name);
        mustBeHome(trail);
        // CloudWatch Logs takes the group and the role together, as the real API insists.
        if ((json.CloudWatchLogsLogGroupArn === undefined) !== (json.CloudWatchLogsRoleArn === undefined)) {
          throw new AwsFakeError('InvalidCloudWatchLogsRoleArnException', 'You must specify both a log group and a role ARN.');
        }
        if (json.S3BucketName !== undefined) trail.s3BucketName = json.S3BucketName;
        if (json.IsMultiRegionTrail !== undefined) trail.isMultiRegionTrail = json.IsMultiRegionTrail;
        if (json.IncludeGlobalServiceEvents !== undefined) trail.includeGlobalServiceEvents = json.IncludeGlobalServiceEvents;
        if (json.EnableLogFileValidation !== undefined) trail.logFileValidationEnabled = json.EnableLogFileValidation;
        // An empty string removes the key or the log group: that is how an attacker strips them.
        if (json.KmsKeyId !== undefined) trail.kmsKeyId = json.KmsKeyId || undefined;
        if (json.CloudWatchLogsLogGroupArn !== undefined) {
          trail.cloudWatchLogsLogGroupArn = json.CloudWatchLogsLogGroupArn || undefined;
          trail.cloudWatchLogsRoleArn = json.CloudWatchLogsRoleArn || undefined;
        }
        return { Name: trail.name, TrailARN: arnOf(trail) };
      });
    case 'StartLogging':
      return write(action, () => {
        const trail = find(json.Name);
        mustBeHome(trail);
        trail.logging = true;
        trail.startLoggingTime = new Date();
        return {};
      });
    case 'StopLogging':
      return write(action, () => {
        const trail = find(json.Name);
        mustBeHome(trail);
        trail.logging = false;
        trail.stopLoggingTime = new Date();
        return {};
      });
    case 'PutEventSelectors':
      return write(action, () => {
        const trail = find(json.TrailName);
        mustBeHome(trail);
        if (json.AdvancedEventSelectors) {
          trail.advancedEventSelectors = json.AdvancedEventSelectors;
          trail.eventSelectors = [];
          return { TrailARN: arnOf(trail), AdvancedEventSelectors: trail.advancedEventSelectors };
        }
        delete trail.advancedEventSelectors;
        trail.eventSelectors = (json.EventSelectors ?? []).map((s: FakeTrail['eventSelectors'][number]) => ({
          ReadWriteType: s.ReadWriteType ?? 'All',
          IncludeManagementEvents: s.IncludeManagementEvents ?? true,
          ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
        }));
        return { TrailARN: arnOf(trail), EventSelectors: trail.eventSelectors };
      });
    case 'CreateTrail':
      return write(action, () => {
        if (trails.has(json.Name)) throw new AwsFakeError('TrailAlreadyExistsException', `Trail ${json.Name} already exists for customer: ${account}`);
        if (json.IsOrganizationTrail && request.world.managementAccount !== account) {
          throw new AwsFakeError('NotOrganizationMasterAccountException', 'This operation can be performed only by the management account of the organization.');
        }
        const trail: FakeTrail = {
          name: json.Name,
          homeRegion: region,
          s3BucketName: json.S3BucketName,
          isMultiRegionTrail: Boolean(json.IsMultiRegionTrail),
          isOrganizationTrail: Boolean(json.IsOrganizationTrail),
          includeGlobalServiceEvents: json.IncludeGlobalServiceEvents ?? true,
          logFileValidationEnabled: Boolean(json.EnableLogFileValidation),
          ...(json.KmsKeyId ? { kmsKeyId: json.KmsKeyId } : {}),
          ...(json.CloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn: json.CloudWatchLogsLogGroupArn, cloudWatchLogsRoleArn: json.CloudWatchLogsRoleArn } : {}),
          // A trail created through the API does not log until StartLogging.
          logging: false,
          eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [] }],
        };
        trails.set(trail.name, trail);
        return { Name: trail.name, TrailARN: arnOf(trail), S3BucketName: trail.s3BucketName, IsMultiRegionTrail: trail.isMultiRegionTrail };
      });
    case 'DeleteTrail':
      return write(action, () => {
        const trail = find(json.Name);
        mustBeHome(trail);
        trails.delete(trail.name);
        return {};
      });
    default:
      throw new AwsFakeError('UnknownOperationException', `fake CloudTrail has no ${action}`);
  }
}

function read(action: string, handle: () => unknown): Route {
  return { action, write: false, handle };
}
function write(action: string, handle: () => unknown): Route {
  return { action, write: true, handle };
}
