import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../../checks/dns/dangling-cname.js';
import lameDelegation from '../../../checks/dns/lame-delegation.js';
import { createNameserverQuery } from '../../../checks/dns/collect/nameserver-query.js';
import { nameserverOptions } from '../../../checks/dns/options.js';
import { DELEGATION_LAB, DELEGATION_ZONE } from './lab/delegation-zone.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { EXAMPLE_LAB, EXAMPLE_ZONE, FLAKY_LAB } from './lab/example-zone.js';
import { pages } from './lab/provider-pages.js';
import { labServices, runDnsCheck } from './lab/run-dns-check.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

const HOUR = 3_600_000;
const summary = (findings: { resourceId: string; severity: string; evidence: Record<string, unknown> }[]) => findings.map((f) => `${f.resourceId} ${f.severity} ${String(f.evidence.confidence)}`).sort();

describe('incremental re-checks through the run cursor', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  beforeAll(async () => {
    lab = await startTakeoverLab({ names: { ...EXAMPLE_LAB.names, 'broken.azurewebsites.net': FLAKY_LAB.names['broken.azurewebsites.net']! }, pages: { ...EXAMPLE_LAB.pages, 'gone.example.test': pages.githubPagesMissing } });
  });
  afterAll(() => lab.close());

  it('re-probes only changed and inconclusive records, re-emits cached verdicts, and runs a full pass when due', async () => {
    const dir = tempDir();
    const zoneFile = join(dir, 'example.test.db');
    writeFileSync(zoneFile, `${EXAMPLE_ZONE}flaky CNAME broken.azurewebsites.net.\n`);
    const options = { zones: [{ source: 'bind', path: zoneFile }], incremental: { fullPassEveryHours: 24 } };
    const state = { cursors: {} as Record<string, string>, now: Date.UTC(2026, 10, 23, 8) };

    const first = lab.queries();
    const full = await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    const fullQueries = lab.queries() - first;
    expect(full.outcome).toBe('partial'); // the SERVFAIL record
    expect(Object.keys(full.cursorWrites)).toEqual(['cname-probes:records']);

    state.now += HOUR;
    const before = lab.queries();
    const quick = await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    const quickQueries = lab.queries() - before;
    expect(summary(quick.findings)).toEqual(summary(full.findings));
    // Only the inconclusive record was asked again (one CNAME query for its target).
    expect(quickQueries).toBe(1);
    expect(fullQueries).toBeGreaterThan(30);
    expect(quick.coverage.failed.map((f) => f.scope)).toEqual(['record:example.test/flaky.example.test/CNAME']);

    // A record that changed is probed again; the others still come from the cache.
    writeFileSync(zoneFile, `${EXAMPLE_ZONE.replace('gone        CNAME old-service.vendor.test.', 'gone        CNAME acme-docs.github.io.')}flaky CNAME broken.azurewebsites.net.\n`);
    state.now += HOUR;
    const beforeChange = lab.queries();
    const changed = await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    // flaky again; gone: CNAME hop (NODATA), A for the HTTP probe, and the Pages verification TXT at 2 ancestors
    expect(lab.queries() - beforeChange).toBe(1 + 2 + 2);
    expect(changed.findings.find((f) => f.resourceId === 'example.test/gone.example.test/CNAME')!.evidence).toMatchObject({ chain: ['acme-docs.github.io'], provider: 'github/pages' });

    // After fullPassEveryHours everything is probed again.
    state.now += 24 * HOUR;
    const beforeFull = lab.queries();
    await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    expect(lab.queries() - beforeFull).toBeGreaterThanOrEqual(fullQueries - 2);
  });

  it('probes everything every time when incremental mode is off', async () => {
    const dir = tempDir();
    const zoneFile = join(dir, 'example.test.db');
    writeFileSync(zoneFile, EXAMPLE_ZONE);
    const options = { zones: [{ source: 'bind', path: zoneFile }], incremental: { enabled: false } };
    const state = { cursors: {} as Record<string, string>, now: Date.UTC(2026, 10, 23, 8) };
    await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    const before = lab.queries();
    const again = await runDnsCheck(check as unknown as AnyCheck, options, labServices(lab), state);
    expect(again.cursorWrites).toEqual({});
    expect(lab.queries() - before).toBeGreaterThan(30);
  });
});

describe('incremental NS delegation checks', () => {
  let lab: TakeoverLab;
  const tempDir = useTempDir('vigil-dns-');
  beforeAll(async () => {
    lab = await startTakeoverLab(DELEGATION_LAB);
  });
  afterAll(() => lab.close());

  it('asks the name servers of changed or undecided delegations only, until the full pass is due', async () => {
    const zoneFile = join(tempDir(), 'deleg.db');
    writeFileSync(zoneFile, `${DELEGATION_ZONE}quiet NS ns1.silent.test.\n`);
    const options = { zones: [{ source: 'bind', path: zoneFile }] };
    const services = () => labServices(lab, { nameserverQuery: createNameserverQuery(nameserverOptions.parse({ timeoutMs: 150, tries: 1 }), lab.nameserverPort) });
    const state = { cursors: {} as Record<string, string>, now: Date.UTC(2026, 10, 23, 8) };

    let before = lab.queries();
    const full = await runDnsCheck(lameDelegation as unknown as AnyCheck, options, services(), state);
    expect(lab.queries() - before).toBe(12); // one A query per name server host
    expect(full.outcome).toBe('partial'); // quiet: its only server never answers

    state.now += HOUR;
    before = lab.queries();
    const quick = await runDnsCheck(lameDelegation as unknown as AnyCheck, options, services(), state);
    expect(lab.queries() - before).toBe(1); // only the undecided one
    expect(quick.findings.map((f) => [f.resourceId, f.severity])).toEqual(full.findings.map((f) => [f.resourceId, f.severity]));
    expect(quick.coverage.failed.map((f) => f.scope)).toEqual(['record:deleg.test/quiet.deleg.test/NS']);

    writeFileSync(zoneFile, `${DELEGATION_ZONE.replace('blog  NS ns1.good.test.', 'blog  NS ns-1.awsdns-01.org.')}quiet NS ns1.silent.test.\n`);
    state.now += HOUR;
    before = lab.queries();
    const changed = await runDnsCheck(lameDelegation as unknown as AnyCheck, options, services(), state);
    expect(lab.queries() - before).toBe(2);
    expect(changed.findings.map((f) => f.resourceId)).toContain('deleg.test/blog.deleg.test/NS');

    state.now += 24 * HOUR;
    before = lab.queries();
    await runDnsCheck(lameDelegation as unknown as AnyCheck, options, services(), state);
    expect(lab.queries() - before).toBe(12);
  });
});
