import { defineCheck } from '../../src/check-api/define-check.js';
import { cnameProbeCollector } from './collect/cname-probes.js';
import { cnameFindings } from './cname-verdict.js';
import { dnsOptions } from './options.js';
import { isWildcard } from './records.js';
import { dnsCliTarget, dnsPreflight } from './target.js';

export default defineCheck({
  id: 'dns.dangling-cname',
  title: 'No CNAME or ALIAS record points at a provider resource someone else can claim',
  area: 'dns',
  severity: 'high',
  description:
    'Follows every CNAME and Route 53 ALIAS record to its end and asks whether the provider resource still exists: by ' +
    'the DNS answer (NXDOMAIN at Azure suffixes, region-qualified Elastic Beanstalk names) or by the provider page ' +
    '(S3 NoSuchBucket naming the bucket, GitHub Pages, Heroku, Shopify, Netlify). Mitigations (asuid TXT, verified ' +
    'Pages domains, account-regional buckets, unique default hostnames) and unclaimable providers (CloudFront, ELB, ' +
    'Fastly) are not findings. A chain ending in NXDOMAIN under a registrable domain nobody holds (no NS at the TLD, ' +
    'RDAP 404) is confirmed: anyone can buy the domain. SERVFAIL and timeouts are inconclusive and make the run ' +
    'partial for the record.',
  remediation:
    'Delete the DNS record, wait for its TTL to pass, and only then delete (or re-create) the resource it pointed at. ' +
    'Where the provider supports it, add its domain-verification record (Azure asuid TXT, GitHub verified domains).',
  references: [
    { framework: 'cwe', control: 'CWE-350', title: 'Reliance on reverse DNS resolution for a security-critical action' },
    { framework: 'mitre-attack', control: 'T1584.001', title: 'Compromise infrastructure: domains' },
    { framework: 'owasp', version: 'WSTG-4.2', control: 'WSTG-CONF-10', title: 'Test for subdomain takeover' },
  ],
  options: dnsOptions,
  cliTarget: dnsCliTarget,
  preflight: (options) => dnsPreflight(options),
  needs: { cnames: cnameProbeCollector('records') },
  evaluate({ cnames }) {
    return cnameFindings(
      cnames,
      (probe) => !isWildcard(probe.name),
      (verdict) => (verdict.confidence === 'confirmed' ? 'high' : verdict.confidence === 'inconclusive' ? 'info' : verdict.fingerprint ? 'medium' : 'low'),
      (probe, verdict) =>
        verdict.confidence === 'inconclusive'
          ? `Could not judge ${probe.name} (${verdict.fingerprint?.provider ?? 'unknown'} target)`
          : `${verdict.confidence === 'confirmed' ? 'Dangling' : 'Possibly dangling'} ${probe.via === 'alias' ? 'ALIAS' : 'CNAME'} ${probe.name} → ${probe.chain.at(-1)}${verdict.fingerprint ? ` (${verdict.fingerprint.provider} ${verdict.fingerprint.service})` : verdict.claimable === 'yes' ? ` (${probe.registration?.domain} can be registered)` : ''}`,
    );
  },
});
