import check from '../../../checks/dns/partially-lame-delegation.js';
import type { Delegation, DelegationInventory } from '../../../checks/dns/collect/delegations.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';

// The loopback-lab run of both delegation checks lives in lame-delegation.test.ts (one lab, both verdicts).
const delegation = (name: string, nameservers: Delegation['nameservers']): Delegation => ({ zone: 'example.test', name, nameservers });
const inventory = (delegations: Delegation[]): { delegations: DelegationInventory } => ({ delegations: { delegations } });
const options = { zones: [{ source: 'bind', path: '/zones/example.test.db' }] };
const answer = (host: string, status: 'authoritative' | 'REFUSED' | 'TIMEOUT' | 'not-authoritative') => ({ host, hostRcode: 'NOERROR' as const, answers: [{ address: '192.0.2.1', status }] });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'all servers serve the zone', options, inventory: inventory([delegation('a.example.test', [answer('ns1.a.test', 'authoritative'), answer('ns2.a.test', 'authoritative')])]) },
    { name: 'a fully lame delegation belongs to dns.lame-delegation', options, inventory: inventory([delegation('b.example.test', [answer('ns1.b.test', 'REFUSED')])]) },
    { name: 'a server that timed out next to a serving one proves nothing', options, inventory: inventory([delegation('c.example.test', [answer('ns1.c.test', 'authoritative'), answer('ns2.c.test', 'TIMEOUT')])]) },
  ],
  fail: [
    {
      name: 'one refusing and one non-authoritative server beside a serving one',
      options,
      inventory: inventory([
        delegation('d.example.test', [answer('ns1.d.test', 'authoritative'), answer('ns-9.awsdns-09.org', 'REFUSED')]),
        delegation('e.example.test', [answer('ns1.e.test', 'authoritative'), answer('ns2.e.test', 'not-authoritative'), { host: 'ns3.gone.test', hostRcode: 'NXDOMAIN', answers: [] }]),
      ]),
      findings: [
        { resourceId: 'example.test/d.example.test/NS', severity: 'medium', title: '1 of 2 name servers' },
        { resourceId: 'example.test/e.example.test/NS', severity: 'medium', title: '2 of 3 name servers' },
      ],
    },
  ],
});
