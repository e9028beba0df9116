import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import type { HttpResponseSummary } from './collect/http.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { HTTP_FINGERPRINTS, type HttpFingerprint } from './http-fingerprints.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export function matchesFingerprint(fingerprint: HttpFingerprint, response: HttpResponseSummary): boolean {
  if (response.path !== fingerprint.path) return false;
  if (fingerprint.status && !fingerprint.status.includes(response.status)) return false;
  if (fingerprint.title && !fingerprint.title.test(response.title ?? '')) return false;
  if (fingerprint.body && !fingerprint.body.test(response.body)) return false;
  if (fingerprint.header) {
    const [name, value] = fingerprint.header;
    if (!value.test(response.headers[name] ?? '')) return false;
  }
  return Boolean(fingerprint.status || fingerprint.title || fingerprint.body || fingerprint.header);
}

export default defineCheck({
  id: 'exposure.http-exposed-paths',
  title: 'No admin panels, debug endpoints or sensitive files are exposed over HTTP',
  area: 'exposure',
  severity: 'high',
  description:
    'Fetches a short list of well-known paths on every HTTP(S) port and matches each answer against a typed ' +
    'fingerprint table (path plus status, title, body and header markers): Docker API, Werkzeug console, .git, .env, ' +
    'Spring actuator, pprof, Django debug pages, phpinfo, server-status, Jenkins, phpMyAdmin, Tomcat manager, ' +
    'Grafana and Prometheus metrics. Evidence names the fingerprint, never the content.',
  remediation:
    'Remove debug endpoints and stray files from production builds, and put admin panels behind a VPN or SSO proxy ' +
    'bound to an internal interface.',
  references: [
    { framework: 'cwe', control: 'CWE-489', title: 'Active debug code' },
    { framework: 'cwe', control: 'CWE-538', title: 'Insertion of sensitive information into externally-accessible file or directory' },
    { framework: 'owasp', version: '2021', control: 'A05', title: 'Security misconfiguration' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http', 'http-paths']) },
  evaluate({ triage }) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'http')) {
      const responses = [endpoint.http.root, ...endpoint.http.paths];
      for (const fingerprint of HTTP_FINGERPRINTS) {
        const response = responses.find((candidate) => matchesFingerprint(fingerprint, candidate));
        if (!response) continue;
        findings.push(
          endpointFinding(endpoint, {
            key: fingerprint.id,
            title: `${fingerprint.name} exposed at ${endpoint.http.scheme}://${endpointName(endpoint)}${fingerprint.path}`,
            severity: fingerprint.severity,
            evidence: { scheme: endpoint.http.scheme, fingerprint: fingerprint.id, kind: fingerprint.kind, path: fingerprint.path, status: response.status },
            tags: [`http-fingerprint:${fingerprint.id}`],
          }),
        );
      }
    }
    return findings;
  },
});
