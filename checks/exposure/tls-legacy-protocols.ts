import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

const VERSION_NAMES = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1' } as const;

export default defineCheck({
  id: 'exposure.tls-legacy-protocols',
  title: 'TLS servers refuse protocol versions below TLS 1.2',
  area: 'exposure',
  severity: 'medium',
  description:
    'Attempts a TLS 1.0 and a TLS 1.1 handshake (client security level lowered so our own OpenSSL offers them) on ' +
    'every TLS port. Both versions were deprecated by RFC 8996 and rely on SHA-1 and CBC constructions with known attacks.',
  remediation: 'Set the minimum protocol to TLS 1.2 (`ssl_protocols TLSv1.2 TLSv1.3;`, `SSLProtocol -all +TLSv1.2 +TLSv1.3`, ALB policy ELBSecurityPolicy-TLS13-1-2-2021-06).',
  references: [
    { framework: 'cwe', control: 'CWE-327', title: 'Use of a broken or risky cryptographic algorithm' },
    { framework: 'pci-dss', version: '4.0', control: '4.2.1', title: 'Strong cryptography for transmission over open networks' },
    { framework: 'cis-controls', version: '8', control: '3.10', title: 'Encrypt sensitive data in transit' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['tls', 'tls-legacy']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'tls')
      .filter((endpoint) => endpoint.tls.legacyAccepted.length > 0)
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `TLS on ${endpointName(endpoint)} accepts ${endpoint.tls.legacyAccepted.map((version) => VERSION_NAMES[version]).join(' and ')}`,
          severity: 'medium',
          evidence: { accepted: [...endpoint.tls.legacyAccepted], negotiatedByDefault: endpoint.tls.protocol ?? null },
        }),
      );
  },
});
