import check from '../../../checks/exposure/database-reachable.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [
    {
      name: 'pg_hba rejects us, MySQL refuses our host',
      options: target,
      inventory: inventory(
        endpoint({ port: 5432, service: 'postgresql', postgresql: { auth: 'rejected', error: { code: '28000', message: 'no pg_hba.conf entry for host' } } }),
        endpoint({ port: 3306, service: 'mysql', mysql: { handshake: false, error: { code: 1130, message: "Host '10.0.0.9' is not allowed to connect" } } }),
      ),
    },
  ],
  fail: [
    {
      name: 'trust, scram, cleartext and mysql',
      options: target,
      inventory: inventory(
        endpoint({ port: 5432, service: 'postgresql', postgresql: { auth: 'trust', serverVersion: '15.20' } }),
        endpoint({ port: 5433, service: 'postgresql', postgresql: { auth: 'scram', mechanisms: ['SCRAM-SHA-256'] } }),
        endpoint({ port: 5434, service: 'postgresql', postgresql: { auth: 'cleartext-password' } }),
        endpoint({ port: 3306, service: 'mysql', mysql: { handshake: true, version: '10.11.6-MariaDB', authPlugin: 'mysql_native_password', tls: false } }),
      ),
      findings: [
        { resourceId: '10.0.0.5:5432', severity: 'critical', title: 'without a password (trust)' },
        { resourceId: '10.0.0.5:5433', severity: 'medium', title: '(scram)' },
        { resourceId: '10.0.0.5:5434', severity: 'high' },
        { resourceId: '10.0.0.5:3306', severity: 'medium', title: 'MySQL on 10.0.0.5:3306' },
      ],
    },
  ],
  partial: [{ name: 'start-up answer timed out', options: target, collected: partialCollected('postgresql start-up: no answer within 2000 ms'), failedScopes: ['host:10.0.0.6'] }],
});
