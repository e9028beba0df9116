import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { outboxCounts } from '../../src/store/outbox.js';
import { useTempDir } from '../builders/temp-dir.js';
import { FakeJira } from '../tickets/support/fake-jira.js';
import { HttpReceiver } from './support/http-receiver.js';
import { dispatcherFor, openLedger, portFinding, record } from './support/ledger.js';

/**
 * The dispatcher in a real child process, killed with SIGKILL mid-delivery, then a fresh dispatcher on the same
 * ledger: nothing is lost and Jira gets no duplicate ticket. The child runs the built code (npm test builds first).
 */
const DIST = resolve('dist/src/notify/index.js');
const tempDir = useTempDir('vigil-crash-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

function childDispatcher(dir: string, dbPath: string, config: unknown): ChildProcess {
  const script = join(dir, 'dispatcher-child.mjs');
  writeFileSync(
    script,
    `import { configSchema } from ${JSON.stringify(resolve('dist/src/config/schema.js'))};
     import { startOutboxDispatcher } from ${JSON.stringify(DIST)};
     import { openStore } from ${JSON.stringify(resolve('dist/src/store/db.js'))};
     import { silentLogger } from ${JSON.stringify(resolve('dist/src/log.js'))};
     const db = openStore(${JSON.stringify(dbPath)});
     startOutboxDispatcher(db, configSchema.parse(${JSON.stringify(config)}), silentLogger);
     setInterval(() => {}, 1000);`,
  );
  const child = spawn(process.execPath, [script], { stdio: 'ignore' });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('dispatcher killed with SIGKILL', () => {
  it('mid-delivery to a webhook: the restarted dispatcher delivers every event, resending only what was in flight', async () => {
    const dir = tempDir();
    const hook = await HttpReceiver.start();
    cleanups.push(() => hook.close());
    const db: Db = openLedger(dir);
    cleanups.push(() => db.close());
    record(db, { findings: Array.from({ length: 30 }, (_, i) => portFinding('10.0.0.1', 2000 + i)) }, Date.now());
    const config = { notify: { pollInterval: '50ms' }, sinks: { hook: { type: 'webhook', url: hook.url, secret: 's'.repeat(16), concurrency: 3 } }, routes: [{ sinks: ['hook'] }] };
    // The first 10 answers come back at once, then the receiver stalls: the child is killed with 3 requests in flight.
    const release = { fn: null as null | (() => void) };
    const child = childDispatcher(dir, join(dir, 'vigil.db'), config);
    await hook.waitFor(10, 20_000);
    release.fn = hook.hold();
    await hook.waitFor(13, 20_000);
    await killed(child);
    release.fn();
    const deliveredByChild = outboxCounts(db).delivered;
    expect(deliveredByChild).toBeGreaterThanOrEqual(7);
    expect(deliveredByChild).toBeLessThan(30);

    const clock = { now: Date.now() };
    await dispatcherFor(db, config, clock).drain();
    const keys = hook.requests.map((r) => String(r.headers['x-vigil-delivery']));
    expect(new Set(keys).size).toBe(30);
    expect(keys.length - 30).toBeLessThanOrEqual(3);
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 30, dead: 0 });
  });

  it('during a Jira create that committed: the restart finds the issue by label after the search lag, no duplicate', async () => {
    const dir = tempDir();
    const token = ['atl', 'crash', 'token'].join('-');
    const jira = await FakeJira.start('cloud', `Basic ${Buffer.from(`bot@example.test:${token}`).toString('base64')}`);
    cleanups.push(() => jira.close());
    jira.searchLagMs = 500;
    let releaseCreate!: () => void;
    jira.createGate = new Promise<void>((resolve) => (releaseCreate = resolve));
    const created = new Promise<void>((resolve) => (jira.onCreate = resolve));
    const db: Db = openLedger(dir);
    cleanups.push(() => db.close());
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'high' })] }, Date.now());
    const config = {
      notify: { pollInterval: '50ms', baseDelay: '100ms' },
      jira: { flavor: 'cloud', url: jira.url, email: 'bot@example.test', apiToken: token, project: 'SEC', searchLag: '800ms' },
    };
    const child = childDispatcher(dir, join(dir, 'vigil.db'), config);
    await created;
    await killed(child);
    jira.createGate = null;
    releaseCreate();
    expect(db.prepare(`SELECT state, issue_key FROM ticket_links`).get()).toEqual({ state: 'creating', issue_key: null });

    const restarted = dispatcherFor(db, config, { get now() { return Date.now(); } } as { now: number });
    const deadline = Date.now() + 10_000;
    while (outboxCounts(db).pending > 0 && Date.now() < deadline) {
      await restarted.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(jira.issues.size).toBe(1);
    expect(jira.count('POST', /\/issue$/)).toBe(1);
    expect(db.prepare(`SELECT state, issue_key FROM ticket_links`).get()).toEqual({ state: 'open', issue_key: 'SEC-1' });
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 1, dead: 0 });
  });
});
