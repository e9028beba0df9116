import check from '../../../checks/exposure/tls-certificate.js';
import type { CertificateSummary, TlsReport } from '../../../checks/exposure/collect/tls.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { COLLECTED_AT, endpoint, inventory, partialCollected, target } from './inventory-builder.js';

const DAY = 86_400_000;
const cert = (daysLeft: number, fields: Partial<CertificateSummary> = {}): CertificateSummary => ({
  subject: 'CN=www.example.test',
  issuer: 'CN=Example CA',
  validFrom: 'Jan  1 00:00:00 2026 GMT',
  validTo: new Date(COLLECTED_AT + daysLeft * DAY).toUTCString(),
  notBefore: COLLECTED_AT - 300 * DAY,
  notAfter: COLLECTED_AT + daysLeft * DAY + 3_600_000,
  keyType: 'rsa',
  keyBits: 2048,
  fingerprint256: `AA:${daysLeft}`,
  selfIssued: false,
  ...fields,
});
const tls = (port: number, report: Partial<TlsReport> & Pick<TlsReport, 'chain'>) =>
  endpoint({ port, service: 'tls', tls: { protocol: 'TLSv1.3', legacyAccepted: [], legacyUntested: [], ...report } });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'valid for 90 days, trusted, name matches', options: target, inventory: inventory(tls(443, { chain: [cert(90)], servername: 'www.example.test' })) },
    { name: 'self-signed but reportUntrusted off', options: { ...target, reportUntrusted: false }, inventory: inventory(tls(443, { chain: [cert(200, { selfIssued: true })], verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })) },
  ],
  fail: [
    {
      name: 'expiry thresholds 30/14/7 with rising severity, and expired',
      options: target,
      inventory: inventory(tls(8441, { chain: [cert(25)] }), tls(8442, { chain: [cert(10)] }), tls(8443, { chain: [cert(5)] }), tls(8444, { chain: [cert(-2)] })),
      findings: [
        { resourceId: '10.0.0.5:8441', key: 'expiry', severity: 'low', title: 'expires in 25 day(s)' },
        { resourceId: '10.0.0.5:8442', key: 'expiry', severity: 'medium' },
        { resourceId: '10.0.0.5:8443', key: 'expiry', severity: 'high' },
        { resourceId: '10.0.0.5:8444', key: 'expiry', severity: 'critical', title: 'expired' },
      ],
    },
    {
      name: 'custom thresholds',
      options: { ...target, expiryDays: { low: 60, medium: 40, high: 20 } },
      inventory: inventory(tls(443, { chain: [cert(45)] })),
      findings: [{ resourceId: '10.0.0.5:443', key: 'expiry', severity: 'low' }],
    },
    {
      name: 'wrong name, self-signed, weak key',
      options: target,
      inventory: inventory(
        tls(443, {
          chain: [cert(300, { keyBits: 1024, selfIssued: true })],
          verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
          servername: 'api.example.test',
          hostnameError: "Hostname/IP does not match certificate's altnames",
        }),
      ),
      findings: [
        { resourceId: '10.0.0.5:443', key: 'hostname', severity: 'high', title: 'does not cover api.example.test' },
        { resourceId: '10.0.0.5:443', key: 'untrusted', severity: 'medium', title: 'self-signed' },
        { resourceId: '10.0.0.5:443', key: 'weak-key', severity: 'high', title: 'RSA 1024' },
      ],
    },
  ],
  partial: [{ name: 'handshake timed out', options: target, collected: partialCollected('tls: no handshake within 2000 ms'), failedScopes: ['host:10.0.0.6'] }],
});
