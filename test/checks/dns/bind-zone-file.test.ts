import { describe, expect, it } from 'vitest';
import { parseZoneFile } from '../../../checks/dns/collect/bind-zone-file.js';
import { parseRecordList } from '../../../checks/dns/collect/record-list.js';

describe('BIND zone file parser', () => {
  it('reads directives, relative and absolute names, @, inherited owners, TTL units and either class/TTL order', () => {
    const text = [
      '$ORIGIN Example.TEST.',
      '$TTL 2h',
      '@ IN SOA ns1 hostmaster (',
      '   1 ; serial',
      '   2h 15m 2w 1d )',
      '  IN NS ns1',
      '  IN NS ns2.provider.test.',
      'www 300 IN CNAME lb.provider.test.',
      'txt IN 60 TXT "v=spf1 " "-all" ; split strings join',
      '"quoted" ; not a record',
    ].slice(0, 9).join('\n');
    const { zone, skipped } = parseZoneFile(text, 'z.db');
    expect(skipped).toBe(0);
    expect(zone.name).toBe('example.test');
    expect(zone.records).toEqual([
      { name: 'example.test', type: 'SOA', ttl: 7200, values: ['ns1.example.test hostmaster.example.test 1 2h 15m 2w 1d'] },
      { name: 'example.test', type: 'NS', ttl: 7200, values: ['ns1.example.test', 'ns2.provider.test'] },
      { name: 'www.example.test', type: 'CNAME', ttl: 300, values: ['lb.provider.test'] },
      { name: 'txt.example.test', type: 'TXT', ttl: 60, values: ['v=spf1 -all'] },
    ]);
  });

  it('counts record types no check reads instead of dropping them silently', () => {
    const { zone, skipped } = parseZoneFile('$ORIGIN a.test.\n@ DNSKEY 257 3 13 AbC=\n@ TYPE65 \\# 0\nwww A 192.0.2.1\n', 'a.db');
    expect(skipped).toBe(2);
    expect(zone.records).toEqual([{ name: 'www.a.test', type: 'A', values: ['192.0.2.1'] }]);
  });

  it.each([
    ['www CNAME a.test.\n', 'z.db:1: relative name \'www\' before $ORIGIN'],
    ['$ORIGIN a.test.\nwww A 300.1.1.1\n', "z.db:2: '300.1.1.1' is not an IPv4 address"],
    ['$ORIGIN a.test.\nwww 1x A 192.0.2.1\n', "z.db:2: '1x' is not a TTL"],
    ['$ORIGIN a.test.\nwww 300 IN\n', 'z.db:2: missing record type'],
    ['$ORIGIN a.test.\nwww IN BOGUS x\n', "z.db:2: unknown record type 'BOGUS'"],
    ['$ORIGIN a.test.\n$INCLUDE other.db\n', 'z.db:2: $INCLUDE is not supported (inline the included records)'],
    ['$ORIGIN a.test.\n@ SOA ns hm ( 1 2 3 4 5\n', "z.db:2: unclosed '('"],
    ['$ORIGIN a.test.\nwww TXT "open\n', 'z.db:2: unterminated quoted string'],
    ['$ORIGIN a.test.\nwww CH A 192.0.2.1\n', 'z.db:2: class CH is not supported (only IN)'],
  ])('rejects %j with file and line', (text, message) => {
    expect(() => parseZoneFile(text, 'z.db')).toThrow(message);
  });
});

describe('plain record list', () => {
  it('qualifies relative names, keeps absolute ones and merges values into record sets', () => {
    const zone = parseRecordList('@ A 192.0.2.1\nwww CNAME lb.provider.test.\nwww.list.test. TXT "x"\n@ A 192.0.2.2 # second\n', 'l.txt', 'list.test');
    expect(zone.records).toEqual([
      { name: 'list.test', type: 'A', values: ['192.0.2.1', '192.0.2.2'] },
      { name: 'www.list.test', type: 'CNAME', values: ['lb.provider.test'] },
      { name: 'www.list.test', type: 'TXT', values: ['x'] },
    ]);
  });

  it.each([
    ['www\n', "l.txt:1: expected '<name> <type> <value>'"],
    ['www HINFO x y\n', "list:l.txt record 1: unsupported type 'HINFO'"],
    ['elsewhere.other. A 192.0.2.1\n', "'elsewhere.other.' is outside zone list.test"],
  ])('rejects %j', (text, message) => {
    expect(() => parseRecordList(text, 'l.txt', 'list.test')).toThrow(message);
  });
});
