import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export default defineCheck({
  id: 'exposure.redis-no-auth',
  title: 'Redis requires authentication',
  area: 'exposure',
  severity: 'critical',
  description:
    'Sends PING and INFO server (read-only) to every Redis the sweep finds. An answer without AUTH means anyone who ' +
    'reaches the port can read and change every key, and CONFIG SET / MODULE LOAD commonly turn that into code execution.',
  remediation:
    'Require a password or ACL users (`requirepass`, or `user default off` plus named users), bind Redis to private ' +
    'interfaces only, keep `protected-mode yes`, and rename or disable CONFIG, MODULE and DEBUG for application users.',
  references: [
    { framework: 'cwe', control: 'CWE-306', title: 'Missing authentication for critical function' },
    { framework: 'mitre-attack', control: 'T1190', title: 'Exploit public-facing application' },
    { framework: 'cis-controls', version: '8', control: '4.7', title: 'Manage default accounts on enterprise assets and software' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['redis']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'redis')
      .filter((endpoint) => endpoint.redis.open)
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `Redis on ${endpointName(endpoint)} answers without authentication`,
          severity: 'critical',
          evidence: { version: endpoint.redis.version ?? null, mode: endpoint.redis.mode ?? null },
        }),
      );
  },
});
