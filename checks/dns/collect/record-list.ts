import { isIPv4, isIPv6 } from 'node:net';
import { isAtOrBelow, normalizeName, RECORD_TYPES, type DnsRecord, type RecordType, type Zone } from '../records.js';

export class RecordListError extends Error {}

export interface ListedRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/**
 * A plain record list, one record per line: `<name> <type> <value>` (names absolute or relative to the zone, `@` for
 * the apex, `#` comments). The shape every DNS provider's export can be turned into with one `awk` line.
 */
export function parseRecordList(text: string, file: string, zoneName: string): Zone {
  const zone = normalizeName(zoneName);
  const listed: ListedRecord[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [name, type, ...rest] = line.split(/\s+/);
    if (!type || rest.length === 0) throw new RecordListError(`${file}:${index + 1}: expected '<name> <type> <value>'`);
    listed.push({ name: name!, type, value: rest.join(' ') });
  });
  return recordsToZone(listed, zone, `list:${file}`);
}

/** Groups listed records into record sets, validating each value; `where` prefixes errors (file name or config key). */
export function recordsToZone(listed: readonly ListedRecord[], zoneName: string, source: string): Zone {
  const zone = normalizeName(zoneName);
  const sets = new Map<string, { name: string; type: RecordType; values: string[] }>();
  listed.forEach((record, index) => {
    const where = `${source} record ${index + 1}`;
    const type = record.type.toUpperCase();
    if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new RecordListError(`${where}: unsupported type '${record.type}'`);
    const name = record.name === '@' ? zone : record.name.endsWith('.') ? normalizeName(record.name) : isAtOrBelow(normalizeName(record.name), zone) ? normalizeName(record.name) : `${normalizeName(record.name)}.${zone}`;
    if (!isAtOrBelow(name, zone)) throw new RecordListError(`${where}: '${record.name}' is outside zone ${zone}`);
    let value = record.value.trim();
    if (type === 'A' && !isIPv4(value)) throw new RecordListError(`${where}: '${value}' is not an IPv4 address`);
    if (type === 'AAAA' && !isIPv6(value)) throw new RecordListError(`${where}: '${value}' is not an IPv6 address`);
    if (type === 'CNAME' || type === 'NS') value = normalizeName(value);
    if (type === 'TXT') value = value.replace(/^"(.*)"$/, '$1');
    const key = `${name}\0${type}`;
    const set = sets.get(key) ?? { name, type: type as RecordType, values: [] };
    if (!set.values.includes(value)) set.values.push(value);
    sets.set(key, set);
  });
  const records: DnsRecord[] = [...sets.values()];
  return { name: zone, source, records };
}
