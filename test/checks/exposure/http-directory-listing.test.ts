import check from '../../../checks/exposure/http-directory-listing.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { httpEndpoint, response } from './http-inventory.js';
import { inventory, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [{ name: 'an ordinary page', options: target, inventory: inventory(httpEndpoint(80, response(200, {}, '<title>Welcome</title>', '/', 'Welcome'))) }],
  fail: [
    {
      name: 'autoindex and python http.server',
      options: target,
      inventory: inventory(httpEndpoint(80, response(200, {}, '', '/', 'Index of /')), httpEndpoint(8000, response(200, {}, '', '/', 'Directory listing for /'))),
      findings: [
        { resourceId: '10.0.0.5:80', severity: 'medium' },
        { resourceId: '10.0.0.5:8000', severity: 'medium' },
      ],
    },
  ],
});
