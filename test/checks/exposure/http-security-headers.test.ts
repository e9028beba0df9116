import check from '../../../checks/exposure/http-security-headers.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { HARDENED, httpEndpoint, response } from './http-inventory.js';
import { inventory, partialCollected, target } from './inventory-builder.js';

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'hardened https', options: target, inventory: inventory(httpEndpoint(443, response(200, HARDENED), 'https')) },
    { name: 'redirects are not judged', options: target, inventory: inventory(httpEndpoint(80, response(301, { location: 'https://x/' }))) },
    {
      name: 'plain http needs no HSTS; X-Frame-Options is enough',
      options: target,
      inventory: inventory(httpEndpoint(8080, response(200, { 'content-security-policy': "default-src 'self'", 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' }))),
    },
  ],
  fail: [
    {
      name: 'bare https page',
      options: target,
      inventory: inventory(httpEndpoint(443, response(200, { server: 'nginx' }), 'https')),
      findings: [
        { resourceId: '10.0.0.5:443', key: 'hsts', severity: 'low', title: 'Strict-Transport-Security missing' },
        { resourceId: '10.0.0.5:443', key: 'csp', severity: 'low' },
        { resourceId: '10.0.0.5:443', key: 'x-content-type-options', severity: 'low' },
        { resourceId: '10.0.0.5:443', key: 'framing', severity: 'low' },
      ],
    },
    {
      name: 'short HSTS',
      options: target,
      inventory: inventory(httpEndpoint(443, response(200, { ...HARDENED, 'strict-transport-security': 'max-age=300' }), 'https')),
      findings: [{ resourceId: '10.0.0.5:443', key: 'hsts', severity: 'low', title: 'max-age below' }],
    },
  ],
  partial: [{ name: 'http probe timed out', options: target, collected: partialCollected('http /: no answer'), failedScopes: ['host:10.0.0.6'] }],
});
