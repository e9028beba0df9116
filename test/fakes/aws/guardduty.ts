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
  if ((match = /^\/detector\/([^/]+)\/trustedentityset$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListTrustedEntitySets', () => {
        const { items, next } = page([...detector(id).trustedEntitySets.keys()], query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { trustedEntitySetIds: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreateTrustedEntitySet', () => {
      const trustedEntitySetId = freshId();
      detector(id).trustedEntitySets.set(trustedEntitySetId, { name: json.name, format: json.format, location: json.location, status: json.activate ? 'ACTIVE' : 'INACTIVE' });
      return { trustedEntitySetId };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/trustedentityset\/([^/]+)$/.exec(path))) {
    const [, id, setId] = match as unknown as [string, string, string];
    const set = () => {
      const found = detector(id).trustedEntitySets.get(setId);
      if (!found) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input trustedEntitySetId is not owned by the current account.');
      return found;
    };
    if (method === 'POST') return write('UpdateTrustedEntitySet', () => ((json.activate !== undefined ? (set().status = json.activate ? 'ACTIVE' : 'INACTIVE') : set()), {}));
    return read('GetTrustedEntitySet', () => ({ ...set(), tags: {} }));
  }
  if ((match = /^\/detector\/([^/]+)\/threatentityset$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListThreatEntitySets', () => {
        const { items, next } = page([...detector(id).threatEntitySets.keys()], query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { threatEntitySetIds: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreateThreatEntitySet', () => {
      const threatEntitySetId = freshId();
      detector(id).threatEntitySets.set(threatEntitySetId, { name: json.name, format: json.format, location: json.location, status: json.activate ? 'ACTIVE' : 'INACTIVE' });
      return { threatEntitySetId };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/threatentityset\/([^/]+)$/.exec(path))) {
    const [, id, setId] = match as unknown as [string, string, string];
    const set = () => {
      const found = detector(id).threatEntitySets.get(setId);
      if (!found) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input threatEntitySetId is not owned by the current account.');
      return found;
    };
    if (method === 'POST') return write('UpdateThreatEntitySet', () => ((json.activate !== undefined ? (set().status = json.activate ? 'ACTIVE' : 'INACTIVE') : set()), {}));
    if (method === 'DELETE') return write('DeleteThreatEntitySet', () => (set(), detector(id).threatEntitySets.delete(setId), {}));
    return read('GetThreatEntitySet', () => ({ ...set(), tags: {} }));
  }
  if ((match = /^\/detector\/([^/]+)\/threatintelset$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListThreatIntelSets', () => {
        const { items, next } = page([...detector(id).threatIntelSets.keys()], query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { threatIntelSetIds: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreateThreatIntelSet', () => {
      const found = detector(id);
      if ([...found.threatIntelSets.values()].some((set) => set.name === json.name)) throw new AwsFakeError('BadRequestException', 'The request is rejected because a threat intel set with this name already exists.');
      const threatIntelSetId = freshId();
      found.threatIntelSets.set(threatIntelSetId, { name: json.name, format: json.format, location: json.location, status: json.activate ? 'ACTIVE' : 'INACTIVE' });
      return { threatIntelSetId };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/threatintelset\/([^/]+)$/.exec(path))) {
    const [, id, setId] = match as unknown as [string, string, string];
    const set = () => {
      const found = detector(id).threatIntelSets.get(setId);
      if (!found) throw new AwsFakeError('BadRequestException', 'The request is rejected because the input threatIntelSetId is not owned by the current account.');
      return found;
    };
    if (method === 'POST') return write('UpdateThreatIntelSet', () => ((json.activate !== undefined ? (set().status = json.activate ? 'ACTIVE' : 'INACTIVE') : set()), {}));
    if (method === 'DELETE') return write('DeleteThreatIntelSet', () => (set(), detector(id).threatIntelSets.delete(setId), {}));
    return read('GetThreatIntelSet', () => ({ ...set(), tags: {} }));
  }
  if ((match = /^\/detector\/([^/]+)\/publishingDestination$/.exec(path))) {
    const id = match[1]!;
    if (method === 'GET') {
      return read('ListPublishingDestinations', () => {
        const all = [...detector(id).publishingDestinations].map(([destinationId, d]) => ({ destinationId, destinationType: d.destinationType, status: 'PUBLISHING' }));
        const { items, next } = page(all, query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { destinations: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    return write('CreatePublishingDestination', () => {
      const destinationId = freshId();
      detector(id).publishingDestinations.set(destinationId, { destinationType: json.destinationType, destinationArn: json.destinationProperties?.destinationArn, kmsKeyArn: json.destinationProperties?.kmsKeyArn });
      return { destinationId };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/publishingDestination\/([^/]+)$/.exec(path))) {
    const [, id, destinationId] = match as unknown as [string, string, string];
    const destination = () => {
      const found = detector(id).publishingDestinations.get(destinationId);
      if (!found) throw new AwsFakeError('BadRequestException', 'The request is rejected because the destination does not exist.');
      return found;
    };
    if (method === 'DELETE') return write('DeletePublishingDestination', () => (destination(), detector(id).publishingDestinations.delete(destinationId), {}));
    return read('DescribePublishingDestination', () => {
      const found = destination();
      return { destinationId, destinationType: found.destinationType, status: 'PUBLISHING', publishingFailureStartTimestamp: 0, destinationProperties: { destinationArn: found.destinationArn, kmsKeyArn: found.kmsKeyArn }, tags: {} };
    });
  }
  if ((match = /^\/detector\/([^/]+)\/admin$/.exec(path))) {
    const id = match[1]!;
    const adminOnly = () => {
      if (request.world.guardDutyAdmin !== request.account) throw new AwsFakeError('BadRequestException', 'The request is rejected because the current account is not the delegated administrator of the organization.');
      return detector(id).organizationConfiguration;
    };
    if (method === 'GET') {
      return read('DescribeOrganizationConfiguration', () => {
        const config = adminOnly();
        return { autoEnable: config.autoEnableOrganizationMembers !== 'NONE', memberAccountLimitReached: false, autoEnableOrganizationMembers: config.autoEnableOrganizationMembers, features: [...config.features].map(([name, autoEnable]) => ({ name, autoEnable })) };
      });
    }
    return write('UpdateOrganizationConfiguration', () => {
      const config = adminOnly();
      if (json.autoEnableOrganizationMembers) config.autoEnableOrganizationMembers = json.autoEnableOrganizationMembers;
      for (const feature of (json.features ?? []) as { name: string; autoEnable: string }[]) config.features.set(feature.name, feature.autoEnable);
      return {};
    });
  }
  if ((match = /^\/detector\/([^/]+)\/member(?:\/(detector\/get|detector\/update|start|stop|disassociate|delete))?$/.exec(path))) {
    const [, id, verb] = match as unknown as [string, string, string | undefined];
    const admin = () => {
      if (request.world.guardDutyAdmin !== request.account) throw new AwsFakeError('BadRequestException', 'The request is rejected because the current account is not the delegated administrator of the organization.');
      return detector(id);
    };
    const memberDetector = (account: string) => request.world.accounts.get(account)?.regions.get(request.region);
    const each = (ids: string[], apply: (account: string, member: { email: string; relationshipStatus: string }) => string | undefined) => {
      const unprocessedAccounts: { accountId: string; result: string }[] = [];
      for (const account of ids) {
        const member = admin().members.get(account);
        const problem = member ? apply(account, member) : 'The request is rejected because the account is not a member.';
        if (problem) unprocessedAccounts.push({ accountId: account, result: problem });
      }
      return { unprocessedAccounts };
    };
    if (verb === undefined && method === 'GET') {
      return read('ListMembers', () => {
        const onlyAssociated = query.get('onlyAssociated') !== 'false';
        const all = [...admin().members]
          .filter(([, m]) => !onlyAssociated || m.relationshipStatus === 'Enabled')
          .map(([accountId, m]) => ({ accountId, masterId: request.account, administratorId: request.account, email: m.email, relationshipStatus: m.relationshipStatus, detectorId: memberDetector(accountId)?.detector?.id, updatedAt: '2026-01-01T00:00:00.000Z' }));
        const { items, next } = page(all, query.get('nextToken'), numberOrUndefined(query.get('maxResults')), request.pageSize);
        return { members: items, ...(next ? { nextToken: next } : {}) };
      });
    }
    if (verb === undefined) {
      return write('CreateMembers', () => {
        const found = admin();
        const unprocessedAccounts: { accountId: string; result: string }[] = [];
        for (const { accountId, email } of (json.accountDetails ?? []) as { accountId: string; email: string }[]) {
          const state = memberDetector(accountId);
          if (!state) {
            unprocessedAccounts.push({ accountId, result: 'The request is rejected because the account is not part of the organization.' });
            continue;
          }
          // An organization account added by the delegated administrator is enabled at once, with the auto-enable plans.
          state.detector ??= newDetector('SIX_HOURS', new Map([...found.organizationConfiguration.features].filter(([, auto]) => auto !== 'NONE').map(([name]) => [name, { status: 'ENABLED' as const, additional: new Map() }])));
          state.detector.status = 'ENABLED';
          found.members.set(accountId, { email, relationshipStatus: 'Enabled' });
        }
        return { unprocessedAccounts };
      });
    }
    if (verb === 'detector/get') {
      return read('GetMemberDetectors', () => {
        const members: unknown[] = [];
        const unprocessedAccounts: { accountId: string; result: string }[] = [];
        for (const accountId of (json.accountIds ?? []) as string[]) {
          const memberState = admin().members.has(accountId) ? memberDetector(accountId)?.detector : undefined;
          if (!memberState) unprocessedAccounts.push({ accountId, result: 'The request is rejected because the account is not a member.' });
          else members.push({ accountId, features: [...memberState.features].map(([name, f]) => ({ name, status: f.status, updatedAt: 1767225600 })) });
        }
        return { members, unprocessedAccounts };
      });
    }
    if (verb === 'detector/update') {
      return write('UpdateMemberDetectors', () =>
        each(json.accountIds ?? [], (account) => {
          const state = memberDetector(account)?.detector;
          if (!state) return 'The request is rejected because the member has no detector.';
          state.features = applyFeatures(state.features, json.features);
          return undefined;
        }),
      );
    }
    if (verb === 'stop') {
      return write('StopMonitoringMembers', () => {
        if (admin().organizationConfiguration.autoEnableOrganizationMembers === 'ALL') throw new AwsFakeError('BadRequestException', 'The request is rejected because autoEnableOrganizationMembers is ALL; members cannot stop being monitored.');
        return each(json.accountIds ?? [], (account, member) => {
          member.relationshipStatus = 'Disabled';
          const state = memberDetector(account)?.detector;
          if (state) state.status = 'DISABLED';
          return undefined;
        });
      });
    }
    if (verb === 'start') {
      return write('StartMonitoringMembers', () =>
        each(json.accountIds ?? [], (account, member) => {
          if (member.relationshipStatus !== 'Disabled' && member.relationshipStatus !== 'Enabled') return `The request is rejected because the member is ${member.relationshipStatus}.`;
          member.relationshipStatus = 'Enabled';
          const state = memberDetector(account)?.detector;
          if (state) state.status = 'ENABLED';
          return undefined;
        }),
      );
    }
    if (verb === 'disassociate') return write('DisassociateMembers', () => each(json.accountIds ?? [], (_account, member) => ((member.relationshipStatus = 'Removed'), undefined)));
    return write('DeleteMembers', () => each(json.accountIds ?? [], (account) => (admin().members.delete(account), undefined)));
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
