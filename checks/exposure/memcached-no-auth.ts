import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export default defineCheck({
  id: 'exposure.memcached-no-auth',
  title: 'Memcached is not reachable without authentication',
  area: 'exposure',
  severity: 'high',
  description:
    'Sends `stats` (read-only) to every open port. Memcached has no authentication in its text protocol unless SASL ' +
    'or an auth file is configured, so an answer means anyone who reaches it can read and overwrite the cache ' +
    '(sessions, tokens), and a UDP-enabled one is a DDoS amplifier.',
  remediation:
    'Bind memcached to localhost or a private interface (`-l`), firewall the port, disable UDP (`-U 0`), and enable SASL ' +
    '(`-S`) or an auth file (`-Y`) if it must be shared.',
  references: [
    { framework: 'cwe', control: 'CWE-306', title: 'Missing authentication for critical function' },
    { framework: 'cis-controls', version: '8', control: '4.4', title: 'Implement and manage a firewall on servers' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['memcached']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'memcached')
      .filter((endpoint) => endpoint.memcached.open)
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `Memcached on ${endpointName(endpoint)} answers without authentication`,
          severity: 'high',
          evidence: { version: endpoint.memcached.version ?? null, currentItems: endpoint.memcached.currentItems ?? null },
        }),
      );
  },
});
