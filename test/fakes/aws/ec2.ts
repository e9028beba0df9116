import { AwsFakeError, xml, type FakeRequest, type Route } from './server.js';

/** EC2 query protocol, DescribeRegions only: the list the kill switch re-reads every tick. */
export function routeEc2(request: FakeRequest): Route {
  const action = request.form.get('Action');
  if (action !== 'DescribeRegions') throw new AwsFakeError('InvalidAction', `fake EC2 has no ${action}`);
  return {
    action,
    write: false,
    handle: () => {
      const all = request.form.get('AllRegions') === 'true';
      const regions = [...request.world.account(request.account).regions].filter(([, state]) => all || state.optIn !== 'not-opted-in');
      const items = regions
        .map(([name, state]) => `<item><regionName>${xml(name)}</regionName><regionEndpoint>ec2.${xml(name)}.amazonaws.com</regionEndpoint><optInStatus>${state.optIn}</optInStatus></item>`)
        .join('');
      return `<?xml version="1.0" encoding="UTF-8"?><DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`;
    },
  };
}
