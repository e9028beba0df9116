import { AwsFakeError, page, type FakeRequest, type Route } from './server.js';
import { freshId, newDetector, type FakeDetector, type FakeFeature } from './world.js';

/** GuardDuty's REST-JSON API, the parts the kill switch reads and writes. */
export function routeGuardDuty(request: FakeRequest): Route {
  const { method, path, json, query } = request;
  const region = () => request.world.region(request.account, request.region);
  const detector = (id: string): FakeDetector => {
    const found = region().detector;
    if (!found || found.id !== id) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input detectorId is not owned by the current account.');
    return found;
  };
  let match: RegExpExecArray | null;
  if (path === '/detector' && method === 'GET') {
    return read('ListDetectors', () => {
      const ids = region().detector ? [region().detector!.id] : [];
      const { items, next } = page(ids, query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
      return { detectorIds: items, ...(next ? { nextToken: next } : {}) };
    });
  }
  if (path === '/detector' && method === 'POST') {
    return write('CreateDetector', () => {
      if (region().detector) throw new AwsFakeError('BadRequestException', 'The request is rejected because a detector already exists for the current account.');
      const created = newDetector(json.findingPublishingFrequency ?? 'SIX_HOURS', applyFeatures(new Map(), json.features));
      created.status = json.enable === false ? 'DISABLED' : 'ENABLED';
      region().detector = created;
      return { detectorId: created.id };
    });
  }
  if ((match = /^\/detector\/([^/]+)$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('GetDetector', () => {
        const found = detector(id);
        return {
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          serviceRole: `arn:aws:iam::${request.account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
          status: found.status,
          findingPublishingFrequency: found.findingPublishingFrequency,
          features: [...found.features].map(([name, feature]) => ({
            name,
            status: feature.status,
            updatedAt: 1767225600,
            ...(feature.additional.size ? { additionalConfiguration: [...feature.additional].map(([n, s]) => ({ name: n, status: s })) } : {}),
          })),
          tags: {},
        };
      });
    }
    if (method === 'POST') {
      return write('UpdateDetector', () => {
        const found = detector(id);
        if (json.enable !== undefined) found.status = json.enable ? 'ENABLED' : 'DISABLED';
        if (json.findingPublishingFrequency) found.findingPublishingFrequency = json.findingPublishingFrequency;
        found.features = applyFeatures(found.features, json.features);
        return {};
      });
    }
    if (method === 'DELETE') {
      return write('DeleteDetector', () => {
        detector(id);
        delete region().detector;
        return {};
      });
    }
  }
  if ((match = /^\/detector\/([^/]+)\/ipset$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListIPSets', () => {
        const { items, next } = page([...detector(id).ipSets.keys()], query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { ipSetIds: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreateIPSet', () => {
      const ipSetId = freshId();
      detector(id).ipSets.set(ipSetId, { name: json.name, format: json.format, location: json.location, status: json.activate ? 'ACTIVE' : 'INACTIVE' });
      return { ipSetId };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/ipset\/([^/]+)$/.exec(path))) {
    const [, id, ipSetId] = match as unknown as [string, string, string];
    if (method === 'POST') {
      return write('UpdateIPSet', () => {
        const set = detector(id).ipSets.get(ipSetId);
        if (!set) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input ipSetId is not owned by the current account.');
        if (json.activate !== undefined) set.status = json.activate ? 'ACTIVE' : 'INACTIVE';
        if (json.location) set.location = json.location;
        if (json.name) set.name = json.name;
        return {};
      });
    }
    if (method === 'DELETE') {
      return write('DeleteIPSet', () => {
        if (!detector(id).ipSets.delete(ipSetId)) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input ipSetId is not owned by the current account.');
        return {};
      });
    }
    return read('GetIPSet', () => {
      const set = detector(id).ipSets.get(ipSetId);
      if (!set) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input ipSetId is not owned by the current account.');
      return { ...set, tags: {} };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/filter$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListFilters', () => {
        const { items, next } = page([...detector(id).filters.keys()], query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { filterNames: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreateFilter', () => {
      detector(id).filters.set(json.name, { action: json.action ?? 'NOOP', rank: json.rank ?? 1, description: json.description ?? '', criteria: json.findingCriteria ?? {} });
      return { name: json.name };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/filter\/([^/]+)$/.exec(path))) {
    const [, id, name] = match as unknown as [string, string, string];
    if (method === 'POST') {
      return write('UpdateFilter', () => {
        const filter = detector(id).filters.get(name);
        if (!filter) throw new AwsFakeError('BadRequestException', 'The request is rejected because the filter does not exist.');
        if (json.action) filter.action = json.action;
        if (json.rank !== undefined) filter.rank = json.rank;
        if (json.findingCriteria) filter.criteria = json.findingCriteria;
        return { name };
      });
    }
    if (method === 'DELETE') {
      return write('DeleteFilter', () => {
        if (!detector(id).filters.delete(name)) throw new AwsFakeError('BadRequestException', 'The request is rejected because the filter does not exist.');
        return {};
      });
    }
    return read('GetFilter', () => {
      const filter = detector(id).filters.get(name);
      if (!filter) throw new AwsFakeError('BadRequestException', 'The request is rejected because the filter does not exist.');
      return { name, action: filter.action, rank: filter.rank, description: filter.description, findingCriteria: filter.criteria, tags: {} };
    });
  }
  throw new AwsFakeError('UnknownOperationException', `fake GuardDuty has no ${method} ${path}`, 404);
}

/** GuardDuty refuses a request that names both runtime monitoring generations (EKS-only and the unified one). */
function applyFeatures(current: Map<string, FakeFeature>, features: unknown): Map<string, FakeFeature> {
  if (!Array.isArray(features)) return current;
  const names = features.map((f: { name: string }) => f.name);
  if (names.includes('EKS_RUNTIME_MONITORING') && names.includes('RUNTIME_MONITORING')) {
    throw new AwsFakeError('BadRequestException', 'The request is failing because both EKS Runtime Monitoring and Runtime Monitoring are specified.');
  }
  const next = new Map(current);
  for (const feature of features as { name: string; status: 'ENABLED' | 'DISABLED'; additionalConfiguration?: { name: string; status: 'ENABLED' | 'DISABLED' }[] }[]) {
    const additional = new Map(next.get(feature.name)?.additional ?? []);
    for (const extra of feature.additionalConfiguration ?? []) additional.set(extra.name, extra.status);
    next.set(feature.name, { status: feature.status, additional });
  }
  return next;
}

function read(action: string, handle: () => unknown): Route {
  return { action, write: false, handle };
}
function write(action: string, handle: () => unknown): Route {
  return { action, write: true, handle };
}
function numberOrUndefined(value: string | null): number | undefined {
  return value ? Number(value) : undefined;
}
