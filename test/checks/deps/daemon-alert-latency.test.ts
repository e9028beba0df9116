import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { HttpReceiver } from '../../notify/support/http-receiver.js';
import { packageLockV3, writeAdvisory, writeFile } from './support/fixtures.js';

const tempDir = useTempDir('vigil-deps-daemon-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The alerts (one webhook request per event) that name this advisory, as the receiver got them. */
function alertsAbout(receiver: HttpReceiver, id: string): { topic: string; resourceId: string; at: number }[] {
  return receiver.requests
    .filter((request) => request.body.includes(id))
    .map((request) => {
      const body = JSON.parse(request.body) as { topic: string; event?: { finding?: { resourceId: string } } };
      return { topic: body.topic, resourceId: body.event?.finding?.resourceId ?? '', at: request.at };
    });
}

describe('deps advisory-to-alert latency through the daemon', () => {
  it('an advisory that appears in the feed is an alert within one sync interval (plus one run), for the affected release only', async () => {
    const root = tempDir();
    const releases = join(root, 'releases');
    const feed = join(root, 'osv');
    writeFile(join(releases, 'web', '1.0.0', 'package-lock.json'), packageLockV3({ lodash: '^4.17.0' }, { 'node_modules/lodash': { version: '4.17.20' } }));
    writeFile(join(releases, 'web', '1.1.0', 'package-lock.json'), packageLockV3({ lodash: '^4.17.0' }, { 'node_modules/lodash': { version: '4.17.21' } }));
    // An unrelated advisory, so the first sync has something to store and the feed directory exists.
    writeAdvisory(feed, { id: 'GHSA-0000-0000-0001', ecosystem: 'npm', name: 'left-pad', severity: 'LOW', events: [{ introduced: '0' }, { fixed: '1.3.0' }] });

    const receiver = await HttpReceiver.start();
    cleanups.push(() => receiver.close());
    const intervalMs = 2_000;
    const config = join(root, 'vigil.yaml');
    writeFileSync(
      config,
      [
        `store: { path: ${join(root, 'vigil.db')} }`,
        'log: { level: info }',
        'daemon: { shutdownGrace: 5s }',
        'notify: { pollInterval: 250ms }',
        `sinks: { soc: { type: webhook, url: "${receiver.url}/hook", secret: test-signing-key } }`,
        'routes: [{ name: all, sinks: [soc] }]',
        'jobs:',
        '  - name: released',
        '    check: deps.vulnerable-components',
        `    schedule: { every: ${intervalMs / 1000}s }`,
        '    options:',
        `      sources: [{ kind: local, name: releases, path: ${releases} }]`,
        `      advisories: [{ kind: osv-dir, name: osv, path: ${feed} }]`,
      ].join('\n'),
    );
    const child: ChildProcess = spawn(process.execPath, [resolve('bin/audit.js'), 'daemon', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let logs = '';
    child.stderr!.on('data', (chunk) => (logs += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });

    const completeRuns = () => (logs.match(/"check":"deps\.vulnerable-components"[^\n]*"outcome":"ok"/g) ?? []).length;
    // The first runs have stored both releases and matched them against the feed: nothing is affected yet.
    await waitFor(() => (completeRuns() >= 2 ? true : undefined), 60_000, 'two complete deps runs').catch((error) => { throw new Error(`${error.message}; daemon log:\n${logs}`); });
    expect(alertsAbout(receiver, 'GHSA-35jh-r3h4-6jhm')).toEqual([]);

    const published = Date.now();
    writeAdvisory(feed, { id: 'GHSA-35jh-r3h4-6jhm', ecosystem: 'npm', name: 'lodash', aliases: ['CVE-2021-23337'], severity: 'HIGH', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    const [alert] = await waitFor(() => {
      const found = alertsAbout(receiver, 'GHSA-35jh-r3h4-6jhm');
      return found.length > 0 ? found : undefined;
    }, intervalMs + 60_000, 'the alert');
    const latencyMs = alert!.at - published;
    // The bound is one sync interval plus 60 s; on this machine it is one interval plus a run, a few seconds.
    expect(latencyMs).toBeLessThan(intervalMs + 60_000);
    expect(alert!.resourceId).toBe('releases/web@1.0.0');

    // Two more ticks: the finding stays open without a second alert, and the fixed release never alerts.
    const runsSoFar = completeRuns();
    await waitFor(() => (completeRuns() >= runsSoFar + 2 ? true : undefined), 30_000, 'two more ticks');
    await new Promise((done) => setTimeout(done, 750)); // a dispatcher poll, so a second alert would have arrived
    expect(alertsAbout(receiver, 'GHSA-35jh-r3h4-6jhm').map((a) => `${a.topic} ${a.resourceId}`)).toEqual(['finding.new releases/web@1.0.0']);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
