import check from '../../../checks/exposure/http-version-disclosure.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { httpEndpoint, response } from './http-inventory.js';
import { inventory, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [{ name: 'product names without versions', options: target, inventory: inventory(httpEndpoint(80, response(200, { server: 'nginx', 'x-powered-by': 'Express' }))) }],
  fail: [
    {
      name: 'server and PHP versions',
      options: target,
      inventory: inventory(httpEndpoint(80, response(200, { server: 'Apache/2.4.57 (Debian)', 'x-powered-by': 'PHP/8.2.7' }))),
      findings: [{ resourceId: '10.0.0.5:80', severity: 'low', title: 'discloses Apache/2.4.57 (Debian), PHP/8.2.7' }],
    },
  ],
});
