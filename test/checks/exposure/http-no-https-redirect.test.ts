import check from '../../../checks/exposure/http-no-https-redirect.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { httpEndpoint, response } from './http-inventory.js';
import { inventory, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'redirects to https', options: target, inventory: inventory(httpEndpoint(80, response(301, { location: 'https://www.example.test/' }))) },
    { name: 'https itself is not judged', options: target, inventory: inventory(httpEndpoint(443, response(200), 'https')) },
  ],
  fail: [
    {
      name: 'serves content, or redirects to another http URL',
      options: target,
      inventory: inventory(httpEndpoint(80, response(200)), httpEndpoint(8080, response(302, { location: 'http://www.example.test/login' }))),
      findings: [
        { resourceId: '10.0.0.5:80', severity: 'low', title: 'status 200' },
        { resourceId: '10.0.0.5:8080', severity: 'low' },
      ],
    },
  ],
});
