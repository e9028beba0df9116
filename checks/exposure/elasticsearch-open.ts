import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import type { HttpResponseSummary } from './collect/http.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export interface SearchClusterInfo {
  readonly product: 'elasticsearch' | 'opensearch';
  readonly clusterName?: string;
  readonly version?: string;
}

/** Elasticsearch and OpenSearch answer `GET /` with cluster info; with security on they answer 401 instead. */
export function searchClusterInfo(root: HttpResponseSummary): SearchClusterInfo | undefined {
  if (root.status !== 200 || !/json/i.test(root.headers['content-type'] ?? 'application/json')) return undefined;
  let body: { cluster_name?: unknown; tagline?: unknown; version?: { number?: unknown; distribution?: unknown } };
  try {
    body = JSON.parse(root.body);
  } catch {
    return undefined;
  }
  const tagline = typeof body.tagline === 'string' ? body.tagline : '';
  if (!/You Know, for Search|OpenSearch Project/.test(tagline) && !(typeof body.cluster_name === 'string' && body.version?.number)) return undefined;
  const product = body.version?.distribution === 'opensearch' || /OpenSearch/.test(tagline) ? 'opensearch' : 'elasticsearch';
  return {
    product,
    ...(typeof body.cluster_name === 'string' ? { clusterName: body.cluster_name.slice(0, 80) } : {}),
    ...(typeof body.version?.number === 'string' ? { version: body.version.number.slice(0, 40) } : {}),
  };
}

export default defineCheck({
  id: 'exposure.elasticsearch-open',
  title: 'Elasticsearch and OpenSearch require authentication',
  area: 'exposure',
  severity: 'high',
  description:
    'Reads `GET /` on every HTTP(S) port. A cluster that answers with its name and version without credentials has ' +
    'security disabled: every index can be read, and usually written and deleted.',
  remediation:
    'Enable security (`xpack.security.enabled: true`, or the OpenSearch security plugin), require TLS and users with ' +
    'least-privilege roles, and keep ports 9200/9300 off public networks.',
  references: [
    { framework: 'cwe', control: 'CWE-306', title: 'Missing authentication for critical function' },
    { framework: 'mitre-attack', control: 'T1190', title: 'Exploit public-facing application' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http']) },
  evaluate({ triage }) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'http')) {
      const info = searchClusterInfo(endpoint.http.root);
      if (!info) continue;
      const name = info.product === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
      findings.push(
        endpointFinding(endpoint, {
          title: `${name} on ${endpointName(endpoint)} answers without authentication`,
          severity: 'high',
          evidence: { product: info.product, clusterName: info.clusterName ?? null, version: info.version ?? null, scheme: endpoint.http.scheme },
        }),
      );
    }
    return findings;
  },
});
