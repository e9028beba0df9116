import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../src/notify/dispatcher.js';
import { setDecision } from '../../src/store/decisions.js';
import type { Db } from '../../src/store/db.js';
import { useTempDir } from '../builders/temp-dir.js';
import { dispatcherFor, openLedger, portFinding, record } from '../notify/support/ledger.js';
import { FakeJira } from './support/fake-jira.js';

const tempDir = useTempDir('vigil-jira-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EMAIL = 'vigil-bot@example.test';
const TOKEN = ['atl', 'test', 'token', 'loopback'].join('-');
const CLOUD_AUTH = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;
const PAT = ['pat', 'test', 'loopback', 'only'].join('-');

/** Real time: the fake's search lag and Retry-After run on the wall clock, so the dispatcher must too. */
const realClock = {
  get now() {
    return Date.now();
  },
};

async function jira(flavor: 'cloud' | 'server'): Promise<FakeJira> {
  const fake = await FakeJira.start(flavor, flavor === 'cloud' ? CLOUD_AUTH : `Bearer ${PAT}`);
  cleanups.push(() => fake.close());
  return fake;
}

function ledger(): Db {
  const db = openLedger(tempDir());
  cleanups.push(() => db.close());
  return db;
}

function jiraConfig(fake: FakeJira, extra: Record<string, unknown> = {}) {
  return {
    notify: { baseDelay: '100ms', maxDelay: '1s', maxAttempts: 20, repeatSweep: '1ms' },
    runbooks: { 'ports.*': 'https://runbooks.example.test/ports' },
    jira: {
      flavor: fake.flavor,
      url: fake.url,
      ...(fake.flavor === 'cloud' ? { email: EMAIL, apiToken: TOKEN } : { token: PAT }),
      project: 'SEC',
      priorities: { critical: 'Highest', medium: 'Medium' },
      labels: ['team-platform'],
      components: ['Security'],
      searchLag: '2500ms',
      wontDoStatus: "Won't Do",
      wontDoResolution: "Won't Do",
      ...extra,
    },
  };
}

async function settle(dispatcher: OutboxDispatcher, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await dispatcher.drain();
    if (done()) return;
    if (Date.now() > deadline) throw new Error('jira sync did not settle in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A crash after the sink answered but before the ledger recorded it: every Jira delivery becomes due again. */
function replayJiraDeliveries(db: Db): void {
  db.prepare(`UPDATE notify_deliveries SET status = 'pending', next_attempt_at = 0 WHERE sink = 'jira'`).run();
  db.prepare(`UPDATE outbox SET status = 'pending' WHERE id IN (SELECT outbox_id FROM notify_deliveries WHERE sink = 'jira')`).run();
}

function pendingJira(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM notify_deliveries WHERE sink = 'jira' AND status = 'pending'`).get() as { n: number }).n;
}

describe.each(['cloud', 'server'] as const)('Jira %s ticket lifecycle', (flavor) => {
  it('creates one ticket per finding, closes it on resolve and reopens it on regression, each with one comment, under 10 replays', async () => {
    const fake = await jira(flavor);
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake), realClock);
    const finding = portFinding('10.0.0.1', 22, { severity: 'critical', remediation: 'Close 22/tcp', location: { host: '10.0.0.1', port: 22 } });
    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect([...fake.issues.keys()]).toEqual(['SEC-1']);
    const issue = fake.issues.get('SEC-1')!;
    expect(issue.fields.summary).toBe('[critical] Unexpected open port 22/tcp on 10.0.0.1');
    expect(issue.fields.priority).toEqual({ name: 'Highest' });
    expect(issue.fields.components).toEqual([{ name: 'Security' }]);
    expect(issue.fields.labels.slice(0, 4)).toEqual(['vigil', 'ports.unexpected-open', 'ports', 'team-platform']);
    expect(issue.fields.labels[4]).toMatch(/^vigil-fp-[0-9a-f]{20}$/);
    const description = JSON.stringify(issue.fields.description);
    for (const text of ['Close 22/tcp', '10.0.0.1:22', 'https://runbooks.example.test/ports', 'Evidence (redacted)']) expect(description).toContain(text);
    if (flavor === 'cloud') expect(issue.fields.description.type).toBe('doc');
    else expect(issue.fields.description).toContain('h3. Remediation');

    for (let i = 0; i < 10; i += 1) {
      replayJiraDeliveries(db);
      await settle(dispatcher, () => pendingJira(db) === 0);
    }
    expect(fake.issues.size).toBe(1);
    expect(fake.count('POST', /\/issue$/)).toBe(1);

    const resolvingRun = record(db, { findings: [] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(issue.status).toBe('Done');
    for (let i = 0; i < 10; i += 1) {
      replayJiraDeliveries(db);
      await settle(dispatcher, () => pendingJira(db) === 0);
    }
    expect(fake.commentTexts('SEC-1')).toHaveLength(1);
    expect(fake.commentTexts('SEC-1')[0]).toContain(`Verified fixed: Vigil run ${resolvingRun.runId}`);
    expect(issue.transitions).toEqual(['Done']);

    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    for (let i = 0; i < 10; i += 1) {
      replayJiraDeliveries(db);
      await settle(dispatcher, () => pendingJira(db) === 0);
    }
    expect(issue.status).toBe('To Do');
    expect(issue.transitions).toEqual(['Done', 'To Do']);
    const comments = fake.commentTexts('SEC-1');
    expect(comments).toHaveLength(2);
    expect(comments[1]).toContain('Reopened: Vigil saw this finding again');
    expect(fake.issues.size).toBe(1);
    expect(fake.count('POST', /\/issue$/)).toBe(1);
  });
});

describe('Jira Cloud faults', () => {
  it('a create whose response is lost, behind a 2 s search lag and a 500, still yields exactly one ticket', async () => {
    const fake = await jira('cloud');
    fake.searchLagMs = 2000;
    fake.inject('POST', /\/rest\/api\/3\/issue$/, 'drop-after-commit');
    fake.inject('POST', /\/search\/jql$/, { status: 500 });
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake), realClock);
    record(db, { findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.2', 22)] }, Date.now());
    const started = Date.now();
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.issues.size).toBe(2);
    expect(fake.count('POST', /\/issue$/)).toBe(2);
    // The lost create was found by label only after the search lag, never re-posted.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    const links = db.prepare(`SELECT issue_key, state FROM ticket_links ORDER BY issue_key`).all();
    expect(links).toEqual([
      { issue_key: 'SEC-1', state: 'open' },
      { issue_key: 'SEC-2', state: 'open' },
    ]);
    expect(fake.count('GET', /\/rest\/api\/3\/search$/)).toBe(0);
  });

  it('waits out a 429 Retry-After before calling Jira again, and creates once', async () => {
    const fake = await jira('cloud');
    fake.inject('POST', /\/rest\/api\/3\/issue$/, { status: 429, headers: { 'retry-after': '1' } });
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake), realClock);
    record(db, { findings: [portFinding('10.0.0.1', 22)] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.early).toEqual([]);
    expect(fake.issues.size).toBe(1);
    const posts = fake.log.filter((entry) => entry.method === 'POST');
    expect(posts.map((p) => p.status)).toEqual([429, 201]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('false positive: the ticket gets a comment and is closed as won\'t do; the finding never tickets again', async () => {
    const fake = await jira('cloud');
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake), realClock);
    const finding = portFinding('10.0.0.1', 22);
    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    const fingerprint = (db.prepare('SELECT fingerprint FROM findings').get() as { fingerprint: string }).fingerprint;
    setDecision(db, { fingerprint, decision: 'false_positive', reason: 'honeypot on purpose', actor: 'ana' });
    await settle(dispatcher, () => pendingJira(db) === 0);
    const issue = fake.issues.get('SEC-1')!;
    expect(issue.status).toBe("Won't Do");
    expect(issue.resolution).toBe("Won't Do");
    expect(fake.commentTexts('SEC-1')[0]).toContain('Marked as a false positive by ana: honeypot on purpose');
    // Still seen, resolved and seen again: no reopen, no new ticket.
    record(db, { findings: [finding] }, Date.now());
    record(db, { findings: [] }, Date.now());
    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.issues.size).toBe(1);
    expect(issue.status).toBe("Won't Do");
    expect(fake.commentTexts('SEC-1')).toHaveLength(1);
  });

  it('a ticket a person closed while the finding is still present is reopened with a comment after the next run', async () => {
    const fake = await jira('cloud');
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake), realClock);
    const finding = portFinding('10.0.0.1', 22);
    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    fake.setStatus('SEC-1', 'Done');
    await new Promise((resolve) => setTimeout(resolve, 5));
    record(db, { findings: [finding] }, Date.now());
    await settle(dispatcher, () => fake.issues.get('SEC-1')!.status === 'To Do' && pendingJira(db) === 0);
    // The run's own "open" event or the verification sweep reopens it, whichever comes first; never both.
    expect(fake.commentTexts('SEC-1')).toEqual([expect.stringMatching(/^Reopened: .*(still sees this finding|still saw the finding)/)]);
    expect(fake.issues.get('SEC-1')!.transitions).toEqual(['To Do']);
    // Closed again; the next run still sees it but writes no event (open stays open): the sweep must catch it.
    fake.setStatus('SEC-1', 'Done');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const run = record(db, { findings: [finding] }, Date.now());
    expect(db.prepare(`SELECT count(*) AS n FROM outbox WHERE run_id = ?`).get(run.runId)).toEqual({ n: 0 });
    await settle(dispatcher, () => fake.issues.get('SEC-1')!.status === 'To Do');
    expect(fake.commentTexts('SEC-1')[1]).toContain(`Vigil run ${run.runId} still saw the finding`);
    // Verified once: further sweeps without a new run make no calls.
    const calls = fake.log.length;
    await dispatcher.drain();
    await dispatcher.drain();
    expect(fake.log.length).toBe(calls);
  });

  it('groups by check and resource when configured: one ticket, closed only when its last finding resolves', async () => {
    const fake = await jira('cloud');
    const db = ledger();
    const dispatcher = dispatcherFor(db, jiraConfig(fake, { grouping: 'check-resource' }), realClock);
    const a = portFinding('10.0.0.1', 22, { resourceId: 'host-a', key: 'ssh' });
    const b = portFinding('10.0.0.1', 23, { resourceId: 'host-a', key: 'telnet' });
    record(db, { findings: [a, b] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.issues.size).toBe(1);
    record(db, { findings: [a] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.issues.get('SEC-1')!.status).toBe('To Do');
    expect(fake.commentTexts('SEC-1')).toEqual([expect.stringContaining('other findings on host-a remain open')]);
    record(db, { findings: [] }, Date.now());
    await settle(dispatcher, () => pendingJira(db) === 0);
    expect(fake.issues.get('SEC-1')!.status).toBe('Done');
  });
});
