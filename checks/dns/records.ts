/**
 * The normalized zone inventory every dns.* check evaluates, whatever the source (Route 53, a BIND file, a plain list).
 * Names are absolute, lower-case and without the trailing dot.
 */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'TXT', 'MX', 'SOA', 'SRV', 'CAA', 'PTR'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface AliasTarget {
  /** Route 53 ALIAS target DNS name (no CNAME shows on the wire, but the record still points at the target). */
  readonly dnsName: string;
  readonly hostedZoneId?: string;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: RecordType;
  readonly values: readonly string[];
  readonly ttl?: number;
  readonly alias?: AliasTarget;
  /**
   * Route 53 routing policies (weighted, latency, failover...) give several record sets one name and type, each with
   * its own target; the set identifier keeps them apart (and is the finding key).
   */
  readonly setIdentifier?: string;
}

export interface Zone {
  readonly name: string;
  /** Where the zone was read: `bind:<path>`, `list:<path>`, `inline`, `route53:<account>/<id>`. */
  readonly source: string;
  readonly records: readonly DnsRecord[];
}

export interface ZoneInventory {
  readonly zones: readonly Zone[];
}

export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function zoneScope(zone: string): string {
  return `zone:${zone}`;
}

export function recordScope(zone: string, name: string, type: string, setIdentifier?: string): string {
  return `record:${zone}/${name}/${type}${setIdentifier ? `/${setIdentifier}` : ''}`;
}

/** Stable resource id of a record set: zone, owner name and type (values change; the record set is the resource). */
export function recordResourceId(zone: string, name: string, type: string): string {
  return `${zone}/${name}/${type}`;
}

export function isWildcard(name: string): boolean {
  return name.startsWith('*.');
}

/** True when `name` is `suffix` or a subdomain of it. */
export function isAtOrBelow(name: string, suffix: string): boolean {
  return name === suffix || name.endsWith(`.${suffix}`);
}
