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
            LogFileValidationEnabled: true,
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
        };
      });
    case 'GetEventSelectors':
      return read(action, () => {
        const trail = find(json.TrailName);
        return { TrailARN: arnOf(trail), EventSelectors: trail.eventSelectors };
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
