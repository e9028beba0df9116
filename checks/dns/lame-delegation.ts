import { defineCheck } from '../../src/check-api/define-check.js';
import { collectDelegations } from './collect/delegations.js';
import { delegationFindings } from './delegation-verdict.js';
import { dnsOptions } from './options.js';
import { dnsCliTarget, dnsPreflight } from './target.js';

export default defineCheck({
  id: 'dns.lame-delegation',
  title: 'No NS delegation points at name servers that do not serve the zone',
  area: 'dns',
  severity: 'high',
  description:
    'Asks every name server of every NS record set, directly and without recursion, for the delegated zone\'s SOA. ' +
    'When none of them answers authoritatively (REFUSED or SERVFAIL, as for a deleted Route 53 hosted zone, or the ' +
    'name server host itself no longer exists) the delegation is dangling. A name server host under a domain anyone ' +
    'can register (RDAP 404) makes it high. Timeouts are inconclusive and make the run partial for that delegation.',
  remediation: 'Remove the NS records, or recreate the hosted zone and point the NS records at its new name servers.',
  references: [
    { framework: 'cwe', control: 'CWE-350', title: 'Reliance on reverse DNS resolution for a security-critical action' },
    { framework: 'mitre-attack', control: 'T1584.002', title: 'Compromise infrastructure: DNS server' },
    { framework: 'owasp', version: 'WSTG-4.2', control: 'WSTG-CONF-10', title: 'Test for subdomain takeover' },
  ],
  options: dnsOptions,
  cliTarget: dnsCliTarget,
  preflight: (options) => dnsPreflight(options),
  needs: { delegations: collectDelegations },
  evaluate: ({ delegations }) => delegationFindings(delegations.delegations, 'lame'),
});
