import { afterEach, describe, expect, it } from 'vitest';
import check from '../../../checks/killswitch/scc-silencing.js';
import { silentLogger } from '../../../src/log.js';
import { executeRun } from '../../../jobs/runner.js';
import { checkTester } from '../../support/check-tester.js';
import { gcpClientsFor } from '../gcp/gcp-harness.js';
import { SccServer } from '../gcp/scc-server.js';
import { approved, approvedCollected } from './baseline-harness.js';

const ORG = 'organizations/123456789';
const TOPIC = 'projects/soc/topics/scc-findings';
const baseline = { muteConfigs: ['known-noise'], notificationConfigs: [{ id: 'soc-feed', pubsubTopic: TOPIC, filter: 'state="ACTIVE"' }] };
const options = { organization: ORG, baseline };
const healthy = {
  organization: ORG,
  muteConfigs: [{ id: 'known-noise', name: `${ORG}/muteConfigs/known-noise`, parent: ORG, filter: 'category="LOW_NOISE"', description: '' }],
  notificationConfigs: [{ id: 'soc-feed', name: `${ORG}/notificationConfigs/soc-feed`, pubsubTopic: TOPIC, filter: 'state="ACTIVE"' }],
};

checkTester(check, {
  pass: [{ name: 'approved mute rule and the SOC feed in place', options, inventory: { baseline: approved('scc-silencing', baseline), silencing: healthy } }],
  fail: [
    {
      name: 'a catch-all mute rule and the SOC feed deleted',
      options,
      inventory: { baseline: approved('scc-silencing', baseline), silencing: { ...healthy, muteConfigs: [...healthy.muteConfigs, { id: 'x', name: `${ORG}/muteConfigs/x`, parent: ORG, filter: '', description: '' }], notificationConfigs: [] } },
      findings: [
        { resourceId: `${ORG}/muteConfigs/x`, key: 'mute', severity: 'critical', title: '(everything)' },
        { resourceId: `${ORG}/notificationConfigs/soc-feed`, key: 'notification', severity: 'critical', title: 'was deleted' },
      ],
    },
    {
      name: 'the SOC feed pointed at another topic',
      options,
      inventory: { baseline: approved('scc-silencing', baseline), silencing: { ...healthy, notificationConfigs: [{ ...healthy.notificationConfigs[0]!, pubsubTopic: 'projects/evil/topics/sink' }] } },
      findings: [{ resourceId: `${ORG}/notificationConfigs/soc-feed`, key: 'notification', severity: 'high', title: 'differs' }],
    },
  ],
  partial: [
    {
      name: 'listing refused',
      options,
      collected: { baseline: approvedCollected('scc-silencing', baseline), silencing: { data: null, coverage: { ok: [], failed: [{ scope: `gcp:${ORG}`, error: { name: 'CollectorAccessDenied', message: 'denied' } }] } } },
      failedScopes: [`gcp:${ORG}`],
    },
  ],
});

describe('killswitch.scc-silencing through @google-cloud/security-center in REST mode', () => {
  let server: SccServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('deletes the unapproved mute rule, re-creates the deleted feed, reads back, and is idempotent', async () => {
    server = await new SccServer().start();
    server.muteConfigs.set(`${ORG}/muteConfigs/known-noise`, { filter: 'category="LOW_NOISE"', description: '' });
    server.muteConfigs.set(`${ORG}/muteConfigs/zz-hide-all`, { filter: '', description: 'temporary' });
    server.muteConfigs.set(`${ORG}/muteConfigs/aa-ok`, { filter: 'category="X"', description: '' });
    const clients = gcpClientsFor(server);
    const run = (mode: string, n: number) =>
      executeRun({ runId: `sil-${n}`, checkId: check.id, targetId: 'gcp', trigger: 'cli', options: { ...options, baseline: { ...baseline, muteConfigs: ['known-noise', 'aa-ok'] }, mode }, timeoutMs: 15_000 }, { checks: { get: () => check }, log: silentLogger, services: { gcpClients: clients } });

    const enforce = await run('enforce', 1);
    expect(enforce.outcome).toBe('ok');
    expect(enforce.remediations?.map((r) => [r.resourceId, r.outcome, r.actions[0], r.before])).toEqual([
      [`${ORG}/muteConfigs/zz-hide-all`, 'fixed', 'securitycenter:DeleteMuteConfig', { exists: true, filter: '', description: 'temporary' }],
      [`${ORG}/notificationConfigs/soc-feed`, 'fixed', 'securitycenter:CreateNotificationConfig', { exists: false }],
    ]);
    expect([...server.muteConfigs.keys()].sort()).toEqual([`${ORG}/muteConfigs/aa-ok`, `${ORG}/muteConfigs/known-noise`]);
    expect(server.notificationConfigs.get(`${ORG}/notificationConfigs/soc-feed`)).toEqual({ pubsubTopic: TOPIC, filter: 'state="ACTIVE"', description: 'Vigil baseline: SCC findings to the SOC' });
    const writes = server.calls.filter((c) => c.method !== 'GET').length;
    expect((await run('enforce', 2)).findings).toEqual([]);
    expect(server.calls.filter((c) => c.method !== 'GET')).toHaveLength(writes);
  });

  it('with walk, a catch-all mute rule on a project is found there and deleted; an approved project rule (by full name) stays', async () => {
    server = await new SccServer().start();
    const FOLDER = 'folders/77';
    const PROJECT = 'projects/payments-prod';
    server.parents.set(FOLDER, ORG);
    server.parents.set(PROJECT, FOLDER);
    server.muteConfigs.set(`${ORG}/muteConfigs/known-noise`, { filter: 'category="LOW_NOISE"', description: '' });
    server.muteConfigs.set(`${PROJECT}/muteConfigs/known-noise`, { filter: '', description: 'hides everything in payments' });
    server.muteConfigs.set(`${FOLDER}/muteConfigs/team-noise`, { filter: 'category="X"', description: '' });
    server.notificationConfigs.set(`${ORG}/notificationConfigs/soc-feed`, { pubsubTopic: TOPIC, filter: 'state="ACTIVE"', description: '' });
    const clients = gcpClientsFor(server);
    const approved = { ...baseline, muteConfigs: ['known-noise', `${FOLDER}/muteConfigs/team-noise`] };
    const run = (mode: string, n: number) =>
      executeRun({ runId: `sil-walk-${n}`, checkId: check.id, targetId: 'gcp', trigger: 'cli', options: { ...options, walk: true, baseline: approved, mode }, timeoutMs: 15_000 }, { checks: { get: () => check }, log: silentLogger, services: { gcpClients: clients } });

    const detect = await run('detect', 1);
    expect(detect.outcome).toBe('ok');
    expect(detect.coverage.ok).toEqual([`gcp:${FOLDER}`, `gcp:${ORG}`, `gcp:${PROJECT}`]);
    // The same id as an approved organization rule does not approve a project's rule.
    expect(detect.findings.map((f) => [f.resourceId, f.scope, f.title])).toEqual([[`${PROJECT}/muteConfigs/known-noise`, `gcp:${PROJECT}`, expect.stringContaining(`on ${PROJECT}`)]]);
    const enforce = await run('enforce', 2);
    expect(enforce.remediations).toEqual([expect.objectContaining({ resourceId: `${PROJECT}/muteConfigs/known-noise`, outcome: 'fixed', actions: ['securitycenter:DeleteMuteConfig'] })]);
    expect([...server.muteConfigs.keys()].sort()).toEqual([`${FOLDER}/muteConfigs/team-noise`, `${ORG}/muteConfigs/known-noise`]);
    expect((await run('enforce', 3)).findings).toEqual([]);

    server.denyList.add(PROJECT);
    const partial = await run('detect', 4);
    expect(partial.outcome).toBe('partial');
    expect(partial.coverage.failed.map((f) => f.scope)).toEqual([`gcp:${PROJECT}`]);
  });
});
