import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/gcp/active-findings.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
import { executeRun } from '../../../jobs/runner.js';
import { checkTester } from '../../support/check-tester.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { gcpClientsFor } from './gcp-harness.js';
import { SccServer } from './scc-server.js';

const ORG = 'organizations/123456789';
const options = { organization: ORG };
const finding = (name: string, severity: string, muted = false) => ({ name: `${ORG}/sources/1/findings/${name}`, resourceName: `//compute.googleapis.com/projects/p/zones/z/instances/${name}`, category: 'OPEN_FIREWALL', severity, muted, eventTime: null });

checkTester(check, {
  pass: [
    { name: 'no active findings', options, inventory: { scc: { organization: ORG, findings: [] } } },
    { name: 'only a muted finding', options, inventory: { scc: { organization: ORG, findings: [finding('a', 'HIGH', true)] } } },
  ],
  fail: [
    {
      name: 'active findings keep their SCC severity',
      options,
      inventory: { scc: { organization: ORG, findings: [finding('a', 'CRITICAL'), finding('b', 'LOW'), finding('c', 'HIGH', true)] } },
      findings: [
        { resourceId: finding('a', '').resourceName, key: finding('a', '').name, severity: 'critical', scope: `gcp:${ORG}`, title: 'OPEN_FIREWALL' },
        { resourceId: finding('b', '').resourceName, key: finding('b', '').name, severity: 'low' },
      ],
    },
  ],
});

describe('gcp.scc.active-findings through @google-cloud/security-center in REST mode', () => {
  const tempDir = useTempDir('vigil-gcp-');
  let server: SccServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const run = (clients: ReturnType<typeof gcpClientsFor>, n: number) =>
    executeRun({ runId: `gcp-${n}`, checkId: check.id, targetId: 'org', trigger: 'cli', options, timeoutMs: 15_000 }, { checks: { get: () => check }, log: silentLogger, services: { gcpClients: clients } });

  it('imports every page of active findings, and a finding SCC deactivates is resolved on the next run', async () => {
    server = await new SccServer().start();
    for (const [name, severity] of [['a', 'CRITICAL'], ['b', 'HIGH'], ['c', 'MEDIUM'], ['d', 'LOW'], ['e', 'HIGH']] as const) {
      server.findings.push({ name: `${ORG}/sources/9/findings/${name}`, category: 'PUBLIC_BUCKET_ACL', state: name === 'e' ? 'INACTIVE' : 'ACTIVE', severity, resourceName: `//storage.googleapis.com/bucket-${name}`, eventTime: '2026-11-20T00:00:00Z' });
    }
    const clients = gcpClientsFor(server);
    const db = openStore(join(tempDir(), 'ledger.db'));
    const first = await run(clients, 1);
    expect(first.coverage.failed).toEqual([]);
    expect(first.outcome).toBe('ok');
    expect(first.findings.map((f) => [f.resourceId, f.severity])).toEqual([
      ['//storage.googleapis.com/bucket-a', 'critical'],
      ['//storage.googleapis.com/bucket-b', 'high'],
      ['//storage.googleapis.com/bucket-c', 'medium'],
      ['//storage.googleapis.com/bucket-d', 'low'],
    ]);
    const listCalls = server.calls.filter((c) => c.path.endsWith('/sources/-/findings'));
    expect(listCalls.length).toBe(2);
    expect(listCalls[0]!.query.filter).toBe('state="ACTIVE"');
    expect(recordRun(db, first).new).toBe(4);

    server.findings[0]!.state = 'INACTIVE';
    const second = await run(clients, 2);
    expect(recordRun(db, second).resolved).toBe(1);
    db.close();
  });

  it('a refused listing is partial, never an empty pass', async () => {
    server = await new SccServer().start();
    const clients = gcpClientsFor({ port: 9 } as SccServer);
    const result = await run(clients, 3);
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([[`gcp:${ORG}`, 'CollectorUnreachable']]);
  });
});
