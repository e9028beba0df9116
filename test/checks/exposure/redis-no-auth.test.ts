import check from '../../../checks/exposure/redis-no-auth.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'NOAUTH', options: target, inventory: inventory(endpoint({ port: 6379, service: 'redis', redis: { open: false, refusal: 'NOAUTH Authentication required.' } })) },
    { name: 'protected mode', options: target, inventory: inventory(endpoint({ port: 6379, service: 'redis', redis: { open: false, refusal: 'DENIED Redis is running in protected mode' } })) },
  ],
  fail: [
    {
      name: 'PONG without AUTH',
      options: target,
      inventory: inventory(endpoint({ port: 6380, service: 'redis', redis: { open: true, version: '7.0.15', mode: 'standalone' } })),
      findings: [{ resourceId: '10.0.0.5:6380', severity: 'critical', title: 'Redis on 10.0.0.5:6380 answers without authentication' }],
    },
  ],
  partial: [{ name: 'a redis probe that timed out', options: target, collected: partialCollected('redis PING: no answer within 2000 ms'), failedScopes: ['host:10.0.0.6'] }],
});
