import check from '../../../checks/exposure/elasticsearch-open.js';
import type { HttpResponseSummary } from '../../../checks/exposure/collect/http.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

const root = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpResponseSummary => ({
  path: '/',
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const http = (port: number, response: HttpResponseSummary, scheme: 'http' | 'https' = 'http') =>
  endpoint({ port, service: scheme === 'http' ? 'http' : 'tls', http: { scheme, root: response, paths: [], timedOutPaths: [] } });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'security on: 401', options: target, inventory: inventory(http(9200, root(401, { error: 'security_exception' }, { 'www-authenticate': 'Basic realm="security"', 'content-type': 'application/json' }))) },
    { name: 'an unrelated JSON API', options: target, inventory: inventory(http(8080, root(200, { status: 'ok', version: '1.2.3' }))) },
  ],
  fail: [
    {
      name: 'elasticsearch and opensearch answer',
      options: target,
      inventory: inventory(
        http(9200, root(200, { name: 'n1', cluster_name: 'prod-logs', version: { number: '8.11.1' }, tagline: 'You Know, for Search' })),
        http(9201, root(200, { cluster_name: 'search', version: { number: '2.11.0', distribution: 'opensearch' }, tagline: 'The OpenSearch Project: https://opensearch.org/' }), 'https'),
      ),
      findings: [
        { resourceId: '10.0.0.5:9200', severity: 'high', title: 'Elasticsearch on 10.0.0.5:9200' },
        { resourceId: '10.0.0.5:9201', severity: 'high', title: 'OpenSearch' },
      ],
    },
  ],
  partial: [{ name: 'http probe timed out', options: target, collected: partialCollected('http /: no answer within 2000 ms'), failedScopes: ['host:10.0.0.6'] }],
});
