import { defineCheck } from '../../src/check-api/define-check.js';
import { collectDelegations } from './collect/delegations.js';
import { delegationFindings } from './delegation-verdict.js';
import { dnsOptions } from './options.js';
import { dnsCliTarget, dnsPreflight } from './target.js';

export default defineCheck({
  id: 'dns.partially-lame-delegation',
  title: 'Every name server listed for a delegation serves the zone',
  area: 'dns',
  severity: 'medium',
  description:
    'Reports NS record sets where some listed name servers serve the zone and others refuse it. Resolvers that pick ' +
    'a lame server fail or, if the zone is later created there by someone else, get their answers.',
  remediation: 'Make the NS records list exactly the name servers that host the zone.',
  references: [
    { framework: 'cwe', control: 'CWE-350', title: 'Reliance on reverse DNS resolution for a security-critical action' },
    { framework: 'mitre-attack', control: 'T1584.002', title: 'Compromise infrastructure: DNS server' },
  ],
  options: dnsOptions,
  cliTarget: dnsCliTarget,
  preflight: (options) => dnsPreflight(options),
  needs: { delegations: collectDelegations },
  evaluate: ({ delegations }) => delegationFindings(delegations.delegations, 'partially-lame'),
});
