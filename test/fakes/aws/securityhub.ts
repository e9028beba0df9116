import { AwsFakeError, page, type FakeRequest, type Route } from './server.js';
import { standardArn } from './world.js';

const NOT_SUBSCRIBED = () => new AwsFakeError('InvalidAccessException', 'Account is not subscribed to AWS Security Hub', 401);

/** Security Hub's REST-JSON API: a disabled hub answers InvalidAccessException, not an empty result. */
export function routeSecurityHub(request: FakeRequest): Route {
  const { method, path, json, account, region } = request;
  const state = () => request.world.region(account, region);
  const hub = () => {
    const found = state().hub;
    if (!found) throw NOT_SUBSCRIBED();
    return found;
  };
  const subscriptionArn = (standards: string) => {
    const tail = standards.replace(/^arn:aws:securityhub:[^:]*::(standards|ruleset)\//, '');
    return `arn:aws:securityhub:${region}:${account}:subscription/${tail}`;
  };
  if (path === '/accounts' && method === 'GET') {
    return { action: 'DescribeHub', write: false, handle: () => ({ HubArn: `arn:aws:securityhub:${region}:${account}:hub/default`, SubscribedAt: hub().enabledAt.toISOString(), AutoEnableControls: true }) };
  }
  if (path === '/accounts' && method === 'POST') {
    return {
      action: 'EnableSecurityHub',
      write: true,
      handle: () => {
        if (state().hub) throw new AwsFakeError('ResourceConflictException', 'Account is already subscribed to Security Hub', 409);
        const defaults = json.EnableDefaultStandards !== false;
        state().hub = {
          enabledAt: new Date(),
          standards: new Map(
            defaults
              ? [standardArn('arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0', region), standardArn('arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', region)].map((arn) => [arn, 'READY'])
              : [],
          ),
        };
        return {};
      },
    };
  }
  if (path === '/accounts' && method === 'DELETE') {
    return { action: 'DisableSecurityHub', write: true, handle: () => (hub(), delete state().hub, {}) };
  }
  if (path === '/standards/get') {
    return {
      action: 'GetEnabledStandards',
      write: false,
      handle: () => {
        const all = [...hub().standards].map(([arn, status]) => ({ StandardsSubscriptionArn: subscriptionArn(arn), StandardsArn: arn, StandardsInput: {}, StandardsStatus: status }));
        const { items, next } = page(all, json.NextToken, json.MaxResults, request.pageSize);
        return { StandardsSubscriptions: items, ...(next ? { NextToken: next } : {}) };
      },
    };
  }
  if (path === '/standards/register') {
    return {
      action: 'BatchEnableStandards',
      write: true,
      handle: () => {
        const current = hub();
        const requests = (json.StandardsSubscriptionRequests ?? []) as { StandardsArn: string }[];
        for (const item of requests) current.standards.set(item.StandardsArn, 'READY');
        return { StandardsSubscriptions: requests.map((item) => ({ StandardsSubscriptionArn: subscriptionArn(item.StandardsArn), StandardsArn: item.StandardsArn, StandardsInput: {}, StandardsStatus: 'PENDING' })) };
      },
    };
  }
  if (path === '/standards/deregister') {
    return {
      action: 'BatchDisableStandards',
      write: true,
      handle: () => {
        const current = hub();
        for (const arn of json.StandardsSubscriptionArns ?? []) {
          for (const standards of current.standards.keys()) if (subscriptionArn(standards) === arn) current.standards.delete(standards);
        }
        return { StandardsSubscriptions: [] };
      },
    };
  }
  throw new AwsFakeError('UnknownOperationException', `fake Security Hub has no ${method} ${path}`, 404);
}
