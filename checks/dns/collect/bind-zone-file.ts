import { isIPv4, isIPv6 } from 'node:net';
import { normalizeName, RECORD_TYPES, type DnsRecord, type RecordType, type Zone } from '../records.js';

/**
 * A careful RFC 1035 master-file parser. Written by hand because the npm candidate (dns-zonefile 0.3.2) silently drops
 * any line it does not understand, accepts TTLs only as bare numbers (not `1h`), handles parentheses only for the SOA,
 * and reports no line numbers: a dropped record is a record nobody checks, so every line here either parses, is a type
 * we knowingly skip (counted), or fails with `file:line`.
 */
export class ZoneFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

export interface ParsedZoneFile {
  readonly zone: Zone;
  /** Records of types no dns.* check evaluates (DNSKEY, HTTPS, ...), counted so coverage says what was not looked at. */
  readonly skipped: number;
}

// Types that are valid in a zone but carry nothing a takeover check reads.
const OTHER_TYPES = new Set(['DNSKEY', 'RRSIG', 'NSEC', 'NSEC3', 'NSEC3PARAM', 'DS', 'HTTPS', 'SVCB', 'SSHFP', 'TLSA', 'NAPTR', 'LOC', 'HINFO', 'SPF', 'DNAME', 'CDS', 'CDNSKEY', 'URI', 'SMIMEA', 'OPENPGPKEY', 'RP', 'AFSDB', 'CERT']);
const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);
const KNOWN = new Set<string>(RECORD_TYPES);

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}
interface Entry {
  readonly line: number;
  readonly tokens: Token[];
  /** The line started with white space: the owner is the previous record's. */
  readonly inheritsOwner: boolean;
}

export function parseZoneFile(text: string, file: string, options: { origin?: string } = {}): ParsedZoneFile {
  let origin = options.origin ? normalizeName(options.origin) : undefined;
  let defaultTtl: number | undefined;
  let lastOwner: string | undefined;
  let lastTtl: number | undefined;
  let skipped = 0;
  const sets = new Map<string, { name: string; type: RecordType; ttl?: number; values: string[] }>();

  for (const entry of logicalEntries(text, file)) {
    const fail = (detail: string): never => {
      throw new ZoneFileError(file, entry.line, detail);
    };
    const words = entry.tokens;
    const first = words[0]!;
    if (!first.quoted && first.text.startsWith('$')) {
      const directive = first.text.toUpperCase();
      if (directive === '$ORIGIN') origin = normalizeName(absoluteOrFail(words[1]?.text, fail, '$ORIGIN needs an absolute name'));
      else if (directive === '$TTL') defaultTtl = parseTtl(words[1]?.text ?? '', fail);
      else fail(`${directive} is not supported (inline the included records)`);
      continue;
    }

    let index = 0;
    let owner: string;
    if (entry.inheritsOwner) {
      owner = lastOwner ?? fail('record without an owner name and no previous owner');
    } else {
      owner = qualify(first.text, origin, fail);
      index = 1;
    }
    let ttl: number | undefined;
    // [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>: at most one of each, in either order.
    for (let step = 0; step < 2; step += 1) {
      const word = words[index]?.text ?? '';
      if (ttl === undefined && /^\d/.test(word)) {
        ttl = parseTtl(word, fail);
        index += 1;
      } else if (CLASSES.has(word.toUpperCase())) {
        if (word.toUpperCase() !== 'IN') fail(`class ${word} is not supported (only IN)`);
        index += 1;
      }
    }
    const typeWord = (words[index]?.text ?? fail('missing record type')).toUpperCase();
    index += 1;
    const rdata = words.slice(index);
    lastOwner = owner;
    if (!KNOWN.has(typeWord)) {
      if (OTHER_TYPES.has(typeWord) || /^TYPE\d+$/.test(typeWord)) {
        skipped += 1;
        continue;
      }
      fail(`unknown record type '${words[index - 1]!.text}'`);
    }
    const type = typeWord as RecordType;
    const effectiveTtl = ttl ?? defaultTtl ?? lastTtl;
    if (ttl !== undefined) lastTtl = ttl;
    const value = parseRdata(type, rdata, origin, fail);
    const key = `${owner}\0${type}`;
    let set = sets.get(key);
    if (!set) {
      set = { name: owner, type, values: [] };
      if (effectiveTtl !== undefined) set.ttl = effectiveTtl;
      sets.set(key, set);
    }
    if (!set.values.includes(value)) set.values.push(value);
  }

  const soa = [...sets.values()].find((set) => set.type === 'SOA');
  const zoneName = origin ?? soa?.name;
  if (!zoneName) throw new ZoneFileError(file, 1, 'no $ORIGIN and no SOA record: cannot tell which zone this is');
  const zoneApex = soa?.name ?? zoneName;
  const records: DnsRecord[] = [...sets.values()].map((set) => ({ name: set.name, type: set.type, values: set.values, ...(set.ttl !== undefined ? { ttl: set.ttl } : {}) }));
  return { zone: { name: zoneApex, source: `bind:${file}`, records }, skipped };
}

function parseRdata(type: RecordType, rdata: Token[], origin: string | undefined, fail: (detail: string) => never): string {
  const texts = rdata.map((token) => token.text);
  const need = (count: number) => {
    if (texts.length !== count) fail(`${type} needs ${count} field(s), got ${texts.length}`);
  };
  switch (type) {
    case 'A':
      need(1);
      if (!isIPv4(texts[0]!)) fail(`'${texts[0]}' is not an IPv4 address`);
      return texts[0]!;
    case 'AAAA':
      need(1);
      if (!isIPv6(texts[0]!)) fail(`'${texts[0]}' is not an IPv6 address`);
      return texts[0]!.toLowerCase();
    case 'CNAME':
    case 'NS':
    case 'PTR':
      need(1);
      return qualify(texts[0]!, origin, fail);
    case 'MX':
      need(2);
      if (!/^\d+$/.test(texts[0]!)) fail(`MX preference '${texts[0]}' is not a number`);
      return `${texts[0]} ${qualify(texts[1]!, origin, fail)}`;
    case 'SRV':
      need(4);
      if (!texts.slice(0, 3).every((word) => /^\d+$/.test(word))) fail('SRV priority, weight and port must be numbers');
      return `${texts.slice(0, 3).join(' ')} ${qualify(texts[3]!, origin, fail)}`;
    case 'SOA':
      need(7);
      return [qualify(texts[0]!, origin, fail), qualify(texts[1]!, origin, fail), ...texts.slice(2)].join(' ');
    case 'TXT':
      if (texts.length === 0) fail('TXT needs at least one string');
      // A TXT record's character-strings are read as one value, as verification tokens are.
      return texts.join('');
    case 'CAA':
      need(3);
      return texts.join(' ');
  }
}

function qualify(name: string, origin: string | undefined, fail: (detail: string) => never): string {
  if (name === '@') return origin ?? fail("'@' used before $ORIGIN");
  if (name.endsWith('.')) return normalizeName(name);
  if (!origin) fail(`relative name '${name}' before $ORIGIN`);
  return normalizeName(`${name}.${origin}`);
}

function absoluteOrFail(name: string | undefined, fail: (detail: string) => never, detail: string): string {
  if (!name || !name.endsWith('.')) fail(detail);
  return name!;
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** BIND accepts `3600` and `1h30m`; anything else is a typo worth stopping for. */
function parseTtl(word: string, fail: (detail: string) => never): number {
  if (/^\d+$/.test(word)) return Number(word);
  const parts = [...word.toLowerCase().matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== word.toLowerCase()) fail(`'${word}' is not a TTL`);
  return parts.reduce((sum, part) => sum + Number(part[1]) * TTL_UNITS[part[2]!]!, 0);
}

/** Splits the file into records: strips comments, honours quotes and escapes, joins parenthesised lines. */
function* logicalEntries(text: string, file: string): Generator<Entry> {
  const lines = text.split(/\r?\n/);
  let pending: { line: number; tokens: Token[]; inheritsOwner: boolean } | undefined;
  let depth = 0;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex += 1) {
    const line = lines[lineIndex]!;
    const lineNumber = lineIndex + 1;
    if (!pending) pending = { line: lineNumber, tokens: [], inheritsOwner: /^[ \t]/.test(line) };
    // Fast path for the common line with no quotes, parentheses or escapes (most of a 100k-record zone).
    if (!/["()\\]/.test(line)) {
      const semicolon = line.indexOf(';');
      const content = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
      if (content) for (const word of content.split(/[ \t]+/)) pending.tokens.push({ text: word, quoted: false });
      if (depth > 0) continue;
      if (pending.tokens.length > 0) yield pending;
      pending = undefined;
      continue;
    }
    let position = 0;
    while (position < line.length) {
      const char = line[position]!;
      if (char === ' ' || char === '\t') {
        position += 1;
      } else if (char === ';') {
        break;
      } else if (char === '(') {
        depth += 1;
        position += 1;
      } else if (char === ')') {
        if (depth === 0) throw new ZoneFileError(file, lineNumber, "unbalanced ')'");
        depth -= 1;
        position += 1;
      } else if (char === '"') {
        let value = '';
        position += 1;
        while (position < line.length && line[position] !== '"') {
          if (line[position] === '\\' && position + 1 < line.length) position += 1;
          value += line[position];
          position += 1;
        }
        if (position >= line.length) throw new ZoneFileError(file, lineNumber, 'unterminated quoted string');
        position += 1;
        pending.tokens.push({ text: value, quoted: true });
      } else {
        let value = '';
        while (position < line.length && !' \t;()"'.includes(line[position]!)) {
          if (line[position] === '\\' && position + 1 < line.length) {
            value += line[position]! + line[position + 1]!;
            position += 2;
          } else {
            value += line[position];
            position += 1;
          }
        }
        pending.tokens.push({ text: value, quoted: false });
      }
    }
    if (depth > 0) continue;
    if (pending.tokens.length > 0) yield pending;
    pending = undefined;
  }
  if (depth > 0) throw new ZoneFileError(file, pending?.line ?? lines.length, "unclosed '('");
}
