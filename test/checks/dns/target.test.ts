import { describe, expect, it } from 'vitest';
import check from '../../../checks/dns/dangling-cname.js';
import { dnsCliTarget, dnsPreflight } from '../../../checks/dns/target.js';

describe('audit run dns.* --target', () => {
  it('reads BIND paths, list:<zone>=<path> and route53[:account], comma-separated', () => {
    expect(dnsCliTarget('zones/a.db, list:example.org=records.txt,route53,route53:prod')).toEqual({
      zones: [
        { source: 'bind', path: 'zones/a.db' },
        { source: 'record-list', zone: 'example.org', path: 'records.txt' },
        { source: 'route53' },
        { source: 'route53', account: 'prod' },
      ],
    });
    expect(check.options.safeParse(dnsCliTarget('route53:prod')).success).toBe(true);
  });

  it('fails fast on a zone file that does not exist', async () => {
    const options = check.options.parse(dnsCliTarget('/nonexistent/zone.db'));
    await expect(dnsPreflight(options)).rejects.toThrow("zone file '/nonexistent/zone.db' does not exist or cannot be read");
  });
});
