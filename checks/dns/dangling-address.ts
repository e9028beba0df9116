import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { lazyCollector } from '../../src/check-api/lazy.js';
import { createOwnedMatcher, createRangeMatcher } from './cloud-ranges.js';
import { dnsOptions } from './options.js';
import { recordResourceId, zoneScope } from './records.js';
import { dnsCliTarget, dnsPreflight } from './target.js';

export default defineCheck({
  id: 'dns.dangling-address',
  title: 'No A/AAAA record points at a cloud address we no longer hold',
  area: 'dns',
  severity: 'medium',
  description:
    "Compares every A and AAAA record with the cloud providers' published ranges and with the addresses the configured " +
    'AWS accounts hold (Elastic IPs and network interfaces). An address in a range customers can allocate from, held by ' +
    'none of our accounts, may have been released and picked up by someone else. Addresses of shared front ends ' +
    '(CloudFront, S3, Route 53) are not claimable and are ignored; regions whose inventory could not be read are not judged.',
  remediation:
    'Delete or update the record. If the address is ours through an account Vigil does not inventory, add that account ' +
    'to `inventory` or the address to `ownedAddresses`.',
  references: [
    { framework: 'cwe', control: 'CWE-350', title: 'Reliance on reverse DNS resolution for a security-critical action' },
    { framework: 'mitre-attack', control: 'T1584.001', title: 'Compromise infrastructure: domains' },
  ],
  options: dnsOptions,
  cliTarget: dnsCliTarget,
  preflight: (options) => dnsPreflight(options),
  // Lazy: the collector pulls in the EC2 SDK and the shipped AWS range file, which `audit --version` must not pay for.
  needs: { addresses: lazyCollector(async () => (await import('./collect/addresses.js')).collectAddresses) },
  evaluate({ addresses }, options) {
    const inRange = createRangeMatcher(addresses.ranges);
    const isOwned = createOwnedMatcher([...addresses.owned, ...options.ownedAddresses]);
    const unreadRegions = new Set(addresses.inventoryFailedRegions);
    const inventoried = addresses.inventoried.map((entry) => `${entry.account}/${entry.region}`);
    const findings: FindingInput[] = [];
    const seen = new Set<string>();
    for (const record of addresses.records) {
      for (const value of record.values) {
        const match = inRange(value);
        if (!match?.claimable || isOwned(value) || unreadRegions.has(match.region)) continue;
        // Routing-policy sets (weighted, latency) may repeat an address under one name: one finding per address.
        const id = `${recordResourceId(record.zone, record.name, record.type)}\0${value}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const regionInventoried = addresses.inventoried.some((entry) => entry.region === match.region);
        findings.push({
          resourceId: recordResourceId(record.zone, record.name, record.type),
          key: value,
          scope: zoneScope(record.zone),
          title: `${record.name} ${record.type} ${value} is in ${match.provider} ${match.services.join('/')} ${match.region} but held by none of our accounts`,
          severity: regionInventoried ? 'medium' : 'low',
          evidence: {
            confidence: 'potential',
            address: value,
            provider: match.provider,
            services: [...match.services],
            region: match.region,
            prefixes: [...match.prefixes],
            inventoried,
            regionInventoried,
            rangeSources: [...addresses.rangeSources],
          },
          location: { host: record.name },
          tags: [`provider:${match.provider}`, `region:${match.region}`],
        });
      }
    }
    return findings;
  },
});
