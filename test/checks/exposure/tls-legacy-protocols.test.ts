import check from '../../../checks/exposure/tls-legacy-protocols.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

const tls = (port: number, legacyAccepted: ('TLSv1' | 'TLSv1.1')[]) =>
  endpoint({ port, service: 'tls', tls: { protocol: 'TLSv1.3', chain: [], legacyAccepted, legacyUntested: [] } });

checkTester(check as unknown as AnyCheck, {
  pass: [{ name: 'TLS 1.2+ only', options: target, inventory: inventory(tls(443, [])) }],
  fail: [
    {
      name: 'TLS 1.0 and 1.1 accepted',
      options: target,
      inventory: inventory(tls(443, ['TLSv1', 'TLSv1.1']), tls(8443, [])),
      findings: [{ resourceId: '10.0.0.5:443', severity: 'medium', title: 'accepts TLS 1.0 and TLS 1.1' }],
    },
  ],
  partial: [{ name: 'legacy handshake timed out', options: target, collected: partialCollected('no answer to a TLSv1 handshake'), failedScopes: ['host:10.0.0.6'] }],
});
