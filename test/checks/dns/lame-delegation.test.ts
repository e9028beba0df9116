import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../../checks/dns/lame-delegation.js';
import partialCheck from '../../../checks/dns/partially-lame-delegation.js';
import type { Delegation, DelegationInventory } from '../../../checks/dns/collect/delegations.js';
import { createNameserverQuery } from '../../../checks/dns/collect/nameserver-query.js';
import { nameserverOptions } from '../../../checks/dns/options.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { checkTester } from '../../support/check-tester.js';
import { DELEGATION_LAB, DELEGATION_ZONE, SILENT_ZONE } from './lab/delegation-zone.js';
import { labServices, runDnsCheck } from './lab/run-dns-check.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

const delegation = (name: string, nameservers: Delegation['nameservers']): Delegation => ({ zone: 'example.test', name, nameservers });
const inventory = (delegations: Delegation[]): { delegations: DelegationInventory } => ({ delegations: { delegations } });
const options = { zones: [{ source: 'bind', path: '/zones/example.test.db' }] };
const served = (host: string, address: string) => ({ host, hostRcode: 'NOERROR' as const, answers: [{ address, status: 'authoritative' as const }] });
const refused = (host: string, address: string) => ({ host, hostRcode: 'NOERROR' as const, answers: [{ address, status: 'REFUSED' as const }] });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'every server answers authoritatively', options, inventory: inventory([delegation('a.example.test', [served('ns1.a.test', '192.0.2.1'), served('ns2.a.test', '192.0.2.2')])]) },
    { name: 'a partially lame delegation is the other check', options, inventory: inventory([delegation('b.example.test', [served('ns1.a.test', '192.0.2.1'), refused('ns-1.awsdns-01.org', '192.0.2.3')])]) },
  ],
  fail: [
    {
      name: 'a delegation to a deleted Route 53 zone is high, one to other refusing servers medium',
      options,
      inventory: inventory([
        delegation('shop.example.test', [refused('ns-1.awsdns-01.org', '192.0.2.3'), refused('ns-2.awsdns-02.net', '192.0.2.4')]),
        delegation('svc.example.test', [{ host: 'ns1.other.test', hostRcode: 'NOERROR', answers: [{ address: '192.0.2.5', status: 'SERVFAIL' }] }]),
      ]),
      findings: [
        { resourceId: 'example.test/shop.example.test/NS', severity: 'high', title: '(aws-route53)' },
        { resourceId: 'example.test/svc.example.test/NS', severity: 'medium' },
      ],
    },
  ],
  partial: [
    {
      name: 'servers that time out leave the delegation undecided',
      options,
      collected: {
        delegations: {
          data: inventory([delegation('slow.example.test', [{ host: 'ns1.silent.test', hostRcode: 'NOERROR', answers: [{ address: '192.0.2.6', status: 'TIMEOUT' }] }])]).delegations,
          coverage: { ok: ['zone:example.test'], failed: [{ scope: 'record:example.test/slow.example.test/NS', error: { name: 'CollectorUnreachable', message: 'timeout' } }] },
        },
      },
      failedScopes: ['record:example.test/slow.example.test/NS'],
    },
  ],
});

describe('NS delegations against per-nameserver emulators on loopback', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  beforeAll(async () => {
    lab = await startTakeoverLab(DELEGATION_LAB);
  });
  afterAll(() => lab.close());
  const services = () => labServices(lab, { nameserverQuery: createNameserverQuery(nameserverOptions.parse({ timeoutMs: 200, tries: 1 }), lab.nameserverPort) });

  it('tells authoritative, REFUSED, SERVFAIL, non-authoritative and silent servers apart', async () => {
    const ask = createNameserverQuery(nameserverOptions.parse({ timeoutMs: 200, tries: 1 }), lab.nameserverPort);
    expect(await Promise.all([ask('127.0.1.1', 'blog.deleg.test'), ask('127.0.1.1', 'elsewhere.test'), ask('127.0.1.2', 'shop.deleg.test'), ask('127.0.1.4', 'svc.deleg.test'), ask('127.0.1.5', 'svc.deleg.test'), ask('127.0.1.6', 'x.test')])).toEqual([
      'authoritative',
      'REFUSED',
      'REFUSED',
      'SERVFAIL',
      'not-authoritative',
      'TIMEOUT',
    ]);
  });

  it('reports fully lame delegations in one check and partially lame ones in the other', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deleg.db'), DELEGATION_ZONE);
    const opts = { zones: [{ source: 'bind', path: join(dir, 'deleg.db') }] };
    const lame = await runDnsCheck(check as unknown as AnyCheck, opts, services());
    expect(lame.outcome).toBe('ok');
    expect(lame.findings.map((f) => [f.resourceId, f.severity, f.evidence.confidence]).sort()).toEqual([
      ['deleg.test/old.deleg.test/NS', 'high', 'confirmed'],
      ['deleg.test/shop.deleg.test/NS', 'high', 'confirmed'],
      ['deleg.test/svc.deleg.test/NS', 'medium', 'potential'],
    ]);
    expect(lame.findings.find((f) => f.resourceId.includes('/old.'))!.evidence.missingNameserverHosts).toEqual(['ns1.expired-dns.test']);
    const partial = await runDnsCheck(partialCheck as unknown as AnyCheck, opts, services());
    expect(partial.outcome).toBe('ok');
    expect(partial.findings.map((f) => [f.resourceId, f.severity])).toEqual([['deleg.test/dev.deleg.test/NS', 'medium']]);
    expect(partial.findings[0]!.evidence).toMatchObject({ lameServers: ['ns-3.awsdns-03.com'], servingServers: ['ns1.good.test'] });
  });

  it('treats silence as inconclusive: the run is partial for that delegation and reports nothing for it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'quiet.db'), SILENT_ZONE);
    const result = await runDnsCheck(check as unknown as AnyCheck, { zones: [{ source: 'bind', path: join(dir, 'quiet.db') }] }, services());
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => f.scope)).toEqual(['record:quiet.test/slow.quiet.test/NS']);
    expect(result.findings).toEqual([]);
  });
});
