import { defineCheck } from '../../src/check-api/define-check.js';
import { cnameProbeCollector } from './collect/cname-probes.js';
import { cnameFindings } from './cname-verdict.js';
import { dnsOptions } from './options.js';
import { dnsCliTarget, dnsPreflight } from './target.js';

export default defineCheck({
  id: 'dns.wildcard-takeover',
  title: 'No wildcard record lands on a provider resource someone else can claim',
  area: 'dns',
  severity: 'high',
  description:
    'Probes a label no zone holds under each zone apex, and every wildcard record in the zones, and judges where the ' +
    'answer leads with the same provider table as dns.dangling-cname. A claimable wildcard hands every possible ' +
    'subdomain to whoever claims the resource, so any takeover verdict is high severity.',
  remediation:
    'Replace the wildcard with explicit records for the names in use, or make sure the resource it points at exists ' +
    'and is bound to your account (verification record) before anything else.',
  references: [
    { framework: 'cwe', control: 'CWE-350', title: 'Reliance on reverse DNS resolution for a security-critical action' },
    { framework: 'mitre-attack', control: 'T1584.001', title: 'Compromise infrastructure: domains' },
    { framework: 'owasp', version: 'WSTG-4.2', control: 'WSTG-CONF-10', title: 'Test for subdomain takeover' },
  ],
  options: dnsOptions,
  cliTarget: dnsCliTarget,
  preflight: (options) => dnsPreflight(options),
  needs: { wildcards: cnameProbeCollector('wildcards') },
  evaluate({ wildcards }) {
    return cnameFindings(
      wildcards,
      () => true,
      (verdict) => (verdict.confidence === 'inconclusive' ? 'info' : verdict.fingerprint || verdict.confidence === 'confirmed' ? 'high' : 'medium'),
      (probe, verdict) =>
        verdict.confidence === 'inconclusive'
          ? `Could not judge wildcard ${probe.name}`
          : `Wildcard ${probe.name} lands on ${verdict.confidence === 'confirmed' ? 'a claimable' : 'a possibly claimable'} target ${probe.chain.at(-1)}`,
    );
  },
});
