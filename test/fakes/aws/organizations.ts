import { AwsFakeError, page, type FakeRequest, type Route } from './server.js';

/** Organizations JSON 1.1, ListAccounts only, and only from the management account (as a member is refused). */
export function routeOrganizations(request: FakeRequest): Route {
  // X-Amz-Target is `<service prefix>.<Operation>`; the prefix differs between SDK versions.
  const action = request.target.slice(request.target.lastIndexOf('.') + 1);
  if (action !== 'ListAccounts') throw new AwsFakeError('UnknownOperationException', `fake Organizations has no ${action}`);
  return {
    action,
    write: false,
    handle: () => {
      if (request.world.managementAccount !== request.account) {
        throw new AwsFakeError('AccessDeniedException', 'You don\'t have permissions to access this resource.');
      }
      const accounts = [...request.world.accounts.keys()].sort().map((id) => ({ Id: id, Arn: `arn:aws:organizations::${request.world.managementAccount}:account/o-fake/${id}`, Name: `account-${id}`, Email: `aws+${id}@example.com`, Status: 'ACTIVE' }));
      const { items, next } = page(accounts, request.json.NextToken, request.json.MaxResults, request.pageSize);
      return { Accounts: items, ...(next ? { NextToken: next } : {}) };
    },
  };
}
