import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

const DISCLOSING_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version'];
// A product token followed by a version: "nginx/1.22.1", "Apache/2.4.57 (Debian)", "PHP/8.2.7", "4.0.30319".
const VERSIONED = /(^|[\s/(])v?\d+\.\d+/;

export default defineCheck({
  id: 'exposure.http-version-disclosure',
  title: 'Web servers do not disclose their software versions',
  area: 'exposure',
  severity: 'low',
  description:
    'Reports Server, X-Powered-By and X-AspNet(Mvc)-Version headers that carry a version number: they tell an ' +
    'attacker which known vulnerabilities to try, for free.',
  remediation: 'Hide versions (`server_tokens off;`, `ServerTokens Prod`, `expose_php = Off`, `removeServerHeader`) and drop X-Powered-By.',
  references: [
    { framework: 'cwe', control: 'CWE-200', title: 'Exposure of sensitive information to an unauthorized actor' },
    { framework: 'owasp', version: '2021', control: 'A05', title: 'Security misconfiguration' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http']) },
  evaluate({ triage }) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'http')) {
      const headers = endpoint.http.root.headers;
      const disclosed = Object.fromEntries(DISCLOSING_HEADERS.filter((name) => VERSIONED.test(headers[name] ?? '')).map((name) => [name, headers[name]!]));
      if (Object.keys(disclosed).length === 0) continue;
      findings.push(
        endpointFinding(endpoint, {
          title: `${endpoint.http.scheme.toUpperCase()} on ${endpointName(endpoint)} discloses ${Object.values(disclosed).join(', ')}`,
          severity: 'low',
          evidence: { scheme: endpoint.http.scheme, headers: disclosed },
        }),
      );
    }
    return findings;
  },
});
