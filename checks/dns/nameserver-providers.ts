/**
 * DNS hosting services where anyone can create a hosted zone for any name: a delegation to one of them whose zone
 * was deleted can be claimed by creating the zone again until it lands on the same servers (dnsReaper's 18
 * "NS without SOA" signatures and subjack's -ns mode distilled).
 */
export interface NameserverProvider {
  readonly provider: string;
  readonly hosts: RegExp;
  readonly note: string;
}

export const NAMESERVER_PROVIDERS = [
  { provider: 'aws-route53', hosts: /^ns-\d+\.awsdns-\d+\.(com|net|org|co\.uk)$/, note: 'Route 53 hands out name server sets from a shared pool; a new hosted zone can land on the same set.' },
  { provider: 'google-cloud-dns', hosts: /^ns-cloud-[a-e]\d\.googledomains\.com$/, note: 'Cloud DNS zones are created on a small shared set of name servers.' },
  { provider: 'azure-dns', hosts: /^ns\d-\d+\.azure-dns\.(com|net|org|info)$/, note: 'Azure DNS zones are assigned from shared name server pools.' },
  { provider: 'digitalocean', hosts: /^ns[1-3]\.digitalocean\.com$/, note: 'Any DigitalOcean account can add a domain that is not already added.' },
  { provider: 'ns1', hosts: /\.nsone\.net$/, note: 'NS1 zones are created on shared name servers.' },
  { provider: 'linode', hosts: /^ns\d\.linode\.com$/, note: 'Any Linode account can create a domain zone.' },
  { provider: 'vultr', hosts: /^ns\d\.vultr\.com$/, note: 'Any Vultr account can create a domain zone.' },
] as const satisfies readonly NameserverProvider[];

export function nameserverProvider(host: string): NameserverProvider | undefined {
  return (NAMESERVER_PROVIDERS as readonly NameserverProvider[]).find((entry) => entry.hosts.test(host));
}
