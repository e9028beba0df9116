import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export default defineCheck({
  id: 'exposure.http-no-https-redirect',
  title: 'Plain HTTP redirects to HTTPS',
  area: 'exposure',
  severity: 'low',
  description:
    'Reports plain-HTTP ports whose `GET /` serves content (or an error) instead of redirecting to an https:// URL, so ' +
    'credentials and cookies can travel in clear text and be rewritten in transit.',
  remediation: 'Answer every plain-HTTP request with a 301/308 to the https:// URL (and send HSTS on HTTPS), or close the port.',
  references: [
    { framework: 'cwe', control: 'CWE-319', title: 'Cleartext transmission of sensitive information' },
    { framework: 'cis-controls', version: '8', control: '3.10', title: 'Encrypt sensitive data in transit' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'http')
      .filter(({ http }) => http.scheme === 'http' && !(http.root.status >= 300 && http.root.status < 400 && /^https:\/\//i.test(http.root.headers.location ?? '')))
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `HTTP on ${endpointName(endpoint)} does not redirect to HTTPS (status ${endpoint.http.root.status})`,
          severity: 'low',
          evidence: { status: endpoint.http.root.status, location: endpoint.http.root.headers.location ?? null },
        }),
      );
  },
});
