import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

export default defineCheck({
  id: 'exposure.database-reachable',
  title: 'PostgreSQL and MySQL do not accept connections from the audited network',
  area: 'exposure',
  severity: 'medium',
  description:
    'Completes the first step of the PostgreSQL and MySQL handshakes on every open port. A server that answers with a ' +
    'login handshake is open to password guessing and pre-auth bugs from wherever Vigil runs; PostgreSQL that answers ' +
    'AuthenticationOk to a start-up message without a password (trust) lets anyone in. No password is ever sent.',
  remediation:
    'Bind databases to private interfaces and firewall them to the application subnets; in pg_hba.conf replace `trust` ' +
    'with `scram-sha-256` (and `hostssl`), and in MySQL restrict accounts by host and require TLS.',
  references: [
    { framework: 'cwe', control: 'CWE-306', title: 'Missing authentication for critical function' },
    { framework: 'cis-controls', version: '8', control: '12.2', title: 'Establish and maintain a secure network architecture' },
    { framework: 'mitre-attack', control: 'T1190', title: 'Exploit public-facing application' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['postgresql', 'mysql']) },
  evaluate({ triage }) {
    const findings: FindingInput[] = [];
    for (const endpoint of triage.endpoints) {
      const { postgresql: pg, mysql } = endpoint;
      if (pg && pg.auth === 'trust') {
        findings.push(
          endpointFinding(endpoint, {
            title: `PostgreSQL on ${endpointName(endpoint)} lets clients in without a password (trust)`,
            severity: 'critical',
            evidence: { product: 'postgresql', auth: pg.auth, serverVersion: pg.serverVersion ?? null },
          }),
        );
      } else if (pg && pg.auth !== 'rejected') {
        findings.push(
          endpointFinding(endpoint, {
            title: `PostgreSQL on ${endpointName(endpoint)} accepts login attempts (${pg.auth})`,
            severity: pg.auth === 'cleartext-password' ? 'high' : 'medium',
            evidence: { product: 'postgresql', auth: pg.auth, mechanisms: [...(pg.mechanisms ?? [])] },
          }),
        );
      } else if (mysql?.handshake) {
        findings.push(
          endpointFinding(endpoint, {
            title: `MySQL on ${endpointName(endpoint)} accepts login attempts`,
            severity: 'medium',
            evidence: { product: /mariadb/i.test(mysql.version ?? '') ? 'mariadb' : 'mysql', version: mysql.version ?? null, authPlugin: mysql.authPlugin ?? null, tls: mysql.tls ?? null },
          }),
        );
      }
    }
    return findings;
  },
});
