import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export default defineCheck({
  id: 'exposure.mongodb-no-auth',
  title: 'MongoDB requires authentication',
  area: 'exposure',
  severity: 'critical',
  description:
    'Sends hello, buildInfo and listDatabases (nameOnly, read-only) over the MongoDB wire protocol to every open port. ' +
    'If listDatabases answers without authentication, access control is off and anyone who reaches the port can read, ' +
    'change or ransom every database.',
  remediation:
    'Enable access control (`security.authorization: enabled`), create users with least privilege, bind to private ' +
    'interfaces (`net.bindIp`), and firewall the port.',
  references: [
    { framework: 'cwe', control: 'CWE-306', title: 'Missing authentication for critical function' },
    { framework: 'mitre-attack', control: 'T1190', title: 'Exploit public-facing application' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['mongodb']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'mongodb')
      .filter((endpoint) => endpoint.mongodb.open)
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `MongoDB on ${endpointName(endpoint)} lists its databases without authentication`,
          severity: 'critical',
          evidence: { version: endpoint.mongodb.version ?? null, databases: [...(endpoint.mongodb.databases ?? [])] },
        }),
      );
  },
});
