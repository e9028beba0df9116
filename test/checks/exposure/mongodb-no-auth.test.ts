import check from '../../../checks/exposure/mongodb-no-auth.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [{ name: 'access control on', options: target, inventory: inventory(endpoint({ port: 27017, service: 'mongodb', mongodb: { open: false, version: '7.0.2', refusal: 'Unauthorized (13)' } })) }],
  fail: [
    {
      name: 'listDatabases answered',
      options: target,
      inventory: inventory(endpoint({ port: 27017, service: 'mongodb', mongodb: { open: true, version: '7.0.2', databases: ['admin', 'shop'] } })),
      findings: [{ resourceId: '10.0.0.5:27017', severity: 'critical', title: 'lists its databases' }],
    },
  ],
  partial: [{ name: 'identification timed out', options: target, collected: partialCollected('no answer'), failedScopes: ['host:10.0.0.6'] }],
});
