import check from '../../../checks/exposure/memcached-no-auth.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [{ name: 'auth required', options: target, inventory: inventory(endpoint({ port: 11211, service: 'memcached', memcached: { open: false, refusal: 'CLIENT_ERROR unauthenticated' } })) }],
  fail: [
    {
      name: 'stats answered',
      options: target,
      inventory: inventory(endpoint({ port: 11211, service: 'memcached', memcached: { open: true, version: '1.6.21', currentItems: 3 } })),
      findings: [{ resourceId: '10.0.0.5:11211', severity: 'high' }],
    },
  ],
  partial: [{ name: 'silent endpoint', options: target, collected: partialCollected('accepted the connection but answered none of 6 probes'), failedScopes: ['host:10.0.0.6'] }],
});
