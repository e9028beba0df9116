import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/killswitch/scc-enabled.js';
import { silentLogger } from '../../../src/log.js';
import { executeRun } from '../../../jobs/runner.js';
import { checkTester } from '../../support/check-tester.js';
import { gcpClientsFor } from '../gcp/gcp-harness.js';
import { SccServer } from '../gcp/scc-server.js';
import { approved } from './baseline-harness.js';

const ORG = 'organizations/123456789';
const PROJECT = 'projects/payments-prod';
const FOLDER = 'folders/555';
const name = (parent: string, service: string) => `${parent}/locations/global/securityCenterServices/${service}`;
const state = (parent: string, service: string, intended: string, effective = intended) => ({ name: name(parent, service), service, intended, effective, modules: {} });
const options = { parents: [ORG, PROJECT] };

checkTester(check, {
  pass: [
    {
      name: 'enabled at the organization, inherited in the project',
      options,
      inventory: { baseline: approved('scc', {}), scc: { parents: [{ parent: ORG, scope: `gcp:${ORG}`, services: [state(ORG, 'event-threat-detection', 'ENABLED')] }, { parent: PROJECT, scope: `gcp:${PROJECT}`, services: [state(PROJECT, 'event-threat-detection', 'INHERITED', 'ENABLED')] }] } },
    },
    {
      name: 'a service outside the baseline may be off',
      options,
      inventory: { baseline: approved('scc', {}), scc: { parents: [{ parent: ORG, scope: `gcp:${ORG}`, services: [state(ORG, 'web-security-scanner', 'DISABLED')] }] } },
    },
  ],
  fail: [
    {
      name: 'disabled in a project (overrides the organization) and inherited-only at the organization',
      options,
      inventory: {
        baseline: approved('scc', {}),
        scc: {
          parents: [
            { parent: ORG, scope: `gcp:${ORG}`, services: [state(ORG, 'security-health-analytics', 'INHERITED', 'DISABLED')] },
            { parent: PROJECT, scope: `gcp:${PROJECT}`, services: [state(PROJECT, 'event-threat-detection', 'DISABLED')] },
          ],
        },
      },
      findings: [
        { resourceId: name(ORG, 'security-health-analytics'), key: 'enablement', severity: 'critical', scope: `gcp:${ORG}` },
        { resourceId: name(PROJECT, 'event-threat-detection'), key: 'enablement', severity: 'critical', title: 'DISABLED at projects/payments-prod' },
      ],
    },
  ],
});

describe('killswitch.scc-enabled through the SCC management client in REST mode', () => {
  let server: SccServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function protectedHierarchy(scc: SccServer): void {
    scc.parents.set(PROJECT, FOLDER);
    scc.parents.set(FOLDER, ORG);
    for (const service of ['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection']) {
      scc.services.set(scc.serviceName(ORG, service), { intended: 'ENABLED', modules: service === 'event-threat-detection' ? { CLOUD_DNS_MALWARE: 'ENABLED', SSH_BRUTE_FORCE: 'DISABLED' } : {} });
      scc.services.set(scc.serviceName(FOLDER, service), { intended: 'INHERITED', modules: {} });
      scc.services.set(scc.serviceName(PROJECT, service), { intended: 'INHERITED', modules: service === 'event-threat-detection' ? { CLOUD_DNS_MALWARE: 'ENABLED' } : {} });
    }
  }

  const run = (server: SccServer, mode: 'detect' | 'enforce', n: number) =>
    executeRun(
      { runId: `scc-${mode}-${n}`, checkId: check.id, targetId: 'gcp', trigger: 'cli', options: { parents: [ORG, FOLDER, PROJECT], mode }, timeoutMs: 15_000 },
      { checks: { get: () => check }, log: silentLogger, services: { gcpClients: gcpClientsFor(server) } },
    );

  it('puts disabled services back with an updateMask on every PATCH, keeps module settings, verifies, then writes nothing', async () => {
    server = await new SccServer().start();
    protectedHierarchy(server);
    server.services.get(server.serviceName(PROJECT, 'event-threat-detection'))!.intended = 'DISABLED';
    server.services.get(server.serviceName(ORG, 'vm-threat-detection'))!.intended = 'DISABLED';

    const detect = await run(server, 'detect', 1);
    expect(detect.outcome).toBe('ok');
    expect(detect.findings.map((f) => f.resourceId).sort()).toEqual([server.serviceName(ORG, 'vm-threat-detection'), server.serviceName(PROJECT, 'event-threat-detection')].sort());
    expect(server.patches()).toEqual([]);
    expect(server.effective(server.serviceName(PROJECT, 'event-threat-detection'))).toBe('DISABLED');

    const enforce = await run(server, 'enforce', 2);
    expect(Object.fromEntries(enforce.remediations!.map((r) => [r.resourceId, [r.outcome, (r.after as { intended: string }).intended]]))).toEqual({
      [server.serviceName(ORG, 'vm-threat-detection')]: ['fixed', 'ENABLED'],
      [server.serviceName(PROJECT, 'event-threat-detection')]: ['fixed', 'INHERITED'],
    });
    const patches = server.patches();
    expect(patches).toHaveLength(2);
    for (const patch of patches) expect(patch.query.updateMask).toBe('intended_enablement_state');
    // The client always sends `modules: {}`; only the mask stops it from wiping the project's module override.
    expect(patches.every((p) => JSON.stringify(p.body.modules) === '{}')).toBe(true);
    expect(server.services.get(server.serviceName(PROJECT, 'event-threat-detection'))!.modules).toEqual({ CLOUD_DNS_MALWARE: 'ENABLED' });
    expect(server.effective(server.serviceName(PROJECT, 'event-threat-detection'))).toBe('ENABLED');

    const again = await run(server, 'enforce', 3);
    expect(again.findings).toEqual([]);
    expect(server.patches()).toHaveLength(2);
  });

  it('the fake encodes why the mask matters: a PATCH without one wipes module settings', async () => {
    server = await new SccServer().start();
    protectedHierarchy(server);
    const client = gcpClientsFor(server).management();
    await client.updateSecurityCenterService({ securityCenterService: { name: server.serviceName(ORG, 'event-threat-detection'), intendedEnablementState: 'ENABLED' } });
    expect(server.services.get(server.serviceName(ORG, 'event-threat-detection'))!.modules).toEqual({});
  });
});

describe('killswitch.scc-enabled: modules and the organization walk', () => {
  let server: SccServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const SERVICES = ['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection'];
  const NEW_PROJECT = 'projects/new-payments';

  function org(scc: SccServer): void {
    scc.parents.set(FOLDER, ORG);
    scc.parents.set(PROJECT, FOLDER);
    scc.parents.set(NEW_PROJECT, FOLDER);
    for (const service of SERVICES) {
      scc.services.set(scc.serviceName(ORG, service), { intended: 'ENABLED', modules: service === 'event-threat-detection' ? { CLOUD_DNS_MALWARE: 'ENABLED', SSH_BRUTE_FORCE: 'DISABLED' } : {} });
      for (const child of [FOLDER, PROJECT, NEW_PROJECT]) scc.services.set(scc.serviceName(child, service), { intended: 'INHERITED', modules: {} });
    }
  }
  const baseline = { modules: { 'event-threat-detection': { CLOUD_DNS_MALWARE: 'ENABLED', SSH_BRUTE_FORCE: 'DISABLED' } } };
  const run = (scc: SccServer, options: Record<string, unknown>, n: number) =>
    executeRun(
      { runId: `scc-walk-${n}`, checkId: check.id, targetId: 'gcp', trigger: 'cli', options: { parents: [ORG], walk: true, baseline, ...options }, timeoutMs: 15_000 },
      { checks: { get: () => check }, log: silentLogger, services: { gcpClients: gcpClientsFor(scc) } },
    );

  it('walks the organization afresh each run: a project that appeared, and a module disabled there, are found and put back through the modules mask', async () => {
    server = await new SccServer().start();
    org(server);
    server.services.get(server.serviceName(NEW_PROJECT, 'event-threat-detection'))!.modules = { CLOUD_DNS_MALWARE: 'DISABLED', CUSTOM_KEEP: 'ENABLED' };
    server.services.get(server.serviceName(NEW_PROJECT, 'vm-threat-detection'))!.intended = 'DISABLED';

    const detect = await run(server, { mode: 'detect' }, 1);
    expect(detect.outcome).toBe('ok');
    expect(detect.coverage.ok).toEqual([`gcp:${FOLDER}`, `gcp:${ORG}`, `gcp:${NEW_PROJECT}`, `gcp:${PROJECT}`]);
    expect(detect.findings.map((f) => [f.resourceId, f.key, f.severity]).sort()).toEqual([
      [server.serviceName(NEW_PROJECT, 'event-threat-detection'), 'module:CLOUD_DNS_MALWARE', 'high'],
      [server.serviceName(NEW_PROJECT, 'vm-threat-detection'), 'enablement', 'critical'],
    ]);
    expect(server.patches()).toEqual([]);

    const enforce = await run(server, { mode: 'enforce' }, 2);
    expect(enforce.remediations!.map((r) => [r.key, r.outcome]).sort()).toEqual([['enablement', 'fixed'], ['module:CLOUD_DNS_MALWARE', 'fixed']]);
    const patches = server.patches();
    expect(patches.map((p) => p.query.updateMask).sort()).toEqual(['intended_enablement_state', 'modules']);
    // The module fix wrote the whole map back with one entry changed: the project's other override survived.
    expect(server.services.get(server.serviceName(NEW_PROJECT, 'event-threat-detection'))!.modules).toEqual({ CLOUD_DNS_MALWARE: 'INHERITED', CUSTOM_KEEP: 'ENABLED' });
    expect((await run(server, { mode: 'enforce' }, 3)).findings).toEqual([]);
    expect(server.patches()).toHaveLength(2);
  });

  it('a module switched off at the organization is set back to its baseline state there', async () => {
    server = await new SccServer().start();
    org(server);
    server.services.get(server.serviceName(ORG, 'event-threat-detection'))!.modules.CLOUD_DNS_MALWARE = 'DISABLED';
    const enforce = await run(server, { mode: 'enforce', walk: false }, 4);
    expect(enforce.remediations!.map((r) => [r.resourceId, r.key, r.outcome])).toEqual([[server.serviceName(ORG, 'event-threat-detection'), 'module:CLOUD_DNS_MALWARE', 'fixed']]);
    expect(server.services.get(server.serviceName(ORG, 'event-threat-detection'))!.modules).toEqual({ CLOUD_DNS_MALWARE: 'ENABLED', SSH_BRUTE_FORCE: 'DISABLED' });
  });

  it('a folder whose children cannot be listed makes the run partial there, and nothing below it is guessed', async () => {
    server = await new SccServer().start();
    org(server);
    server.denyList.add(FOLDER);
    const result = await run(server, { mode: 'enforce' }, 5);
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed).toEqual([{ scope: `gcp:${FOLDER}`, error: expect.objectContaining({ name: 'CollectorAccessDenied' }) }]);
    expect(result.coverage.ok).toEqual([`gcp:${ORG}`]);
    expect(server.patches()).toEqual([]);
  });
});
