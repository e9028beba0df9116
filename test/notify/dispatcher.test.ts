import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { setDecision } from '../../src/store/decisions.js';
import { outboxCounts } from '../../src/store/outbox.js';
import { retryOutbox, dropOutbox, listOutbox } from '../../src/notify/outbox-admin.js';
import { useTempDir } from '../builders/temp-dir.js';
import { HttpReceiver } from './support/http-receiver.js';
import { deliveryRows, dispatcherFor, openLedger, portFinding, record } from './support/ledger.js';
import type { Db } from '../../src/store/db.js';

const SECRET = ['whsec', 'test', 'vigil', 'loopback'].join('-');
const tempDir = useTempDir('vigil-notify-');
const receivers: HttpReceiver[] = [];
const dbs: Db[] = [];

afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
  for (const db of dbs.splice(0)) db.close();
});

async function receiver(): Promise<HttpReceiver> {
  const r = await HttpReceiver.start();
  receivers.push(r);
  return r;
}

function ledger(): Db {
  const db = openLedger(tempDir());
  dbs.push(db);
  return db;
}

/** What a receiver does to trust a delivery: recompute the HMAC over timestamp.body and compare in constant time. */
function verifySignature(headers: Record<string, unknown>, body: string): boolean {
  const timestamp = String(headers['x-vigil-timestamp']);
  const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(String(headers['x-vigil-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const webhookConfig = (url: string, extra: Record<string, unknown> = {}) => ({
  notify: { maxAttempts: 3, baseDelay: '10s', maxDelay: '10m' },
  sinks: { hook: { type: 'webhook', url, secret: SECRET, concurrency: 4, ...extra } },
  routes: [{ sinks: ['hook'] }],
  runbooks: { 'ports.*': 'https://runbooks.example.test/ports' },
});

describe('outbox dispatcher with a webhook sink', () => {
  it('delivers every lifecycle change once, signed, with remediation and runbook, and marks the outbox delivered', async () => {
    const hook = await receiver();
    const db = ledger();
    const clock = { now: 1_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22, { remediation: 'Close port 22 in the security group' }), portFinding('10.0.0.2', 80)] }, clock.now);
    const dispatcher = dispatcherFor(db, webhookConfig(hook.url), clock);
    await dispatcher.drain();

    expect(hook.requests).toHaveLength(2);
    for (const request of hook.requests) {
      expect(verifySignature(request.headers, request.body)).toBe(true);
      expect(verifySignature({ ...request.headers }, request.body.replace('10.0.0', '10.6.6'))).toBe(false);
    }
    const bodies = hook.requests.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.topic).sort()).toEqual(['finding.new', 'finding.new']);
    const ssh = bodies.find((b) => b.event.finding.resourceId === '10.0.0.1:22');
    expect(ssh.event.finding.remediation).toBe('Close port 22 in the security group');
    // Idempotency key is the delivery header and the body id, and differs per event.
    expect(new Set(hook.requests.map((r) => r.headers['x-vigil-delivery'])).size).toBe(2);
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 2, dead: 0 });
    // Nothing left to do: a second pass sends nothing.
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(2);
  });

  it('retries a 500 with exponential backoff and jitter, never before the retry time, then succeeds', async () => {
    const hook = await receiver();
    hook.respondWith({ status: 500 }, { status: 503 });
    const db = ledger();
    const clock = { now: 5_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22)] }, clock.now);
    const dispatcher = dispatcherFor(db, webhookConfig(hook.url, { concurrency: 1 }), clock);
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(1);
    // random() = 0.5 → equal jitter gives 3/4 of base·2^(n-1): 7.5 s after the first failure, 15 s after the second.
    expect(deliveryRows(db)[0]).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: clock.now + 7_500 });
    clock.now += 7_499;
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(1);
    clock.now += 1;
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(2);
    expect(deliveryRows(db)[0]).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: clock.now + 15_000 });
    clock.now += 15_000;
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(3);
    expect(deliveryRows(db)[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(new Set(hook.requests.map((r) => r.headers['x-vigil-delivery'])).size).toBe(1);
  });

  it('honours 429 Retry-After for the whole sink, across a restart, without spending attempts', async () => {
    const hook = await receiver();
    hook.respondWith({ status: 429, headers: { 'retry-after': '120' } });
    const db = ledger();
    const clock = { now: 9_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.1', 23)] }, clock.now);
    const first = dispatcherFor(db, webhookConfig(hook.url, { concurrency: 1 }), clock);
    await first.drain();
    expect(hook.requests).toHaveLength(1);
    await first.stop();
    // A new process (same ledger) must respect the gate too.
    const second = dispatcherFor(db, webhookConfig(hook.url, { concurrency: 1 }), clock);
    clock.now += 119_999;
    await second.drain();
    expect(hook.requests).toHaveLength(1);
    clock.now += 1;
    await second.drain();
    expect(hook.requests).toHaveLength(3);
    expect(deliveryRows(db).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);
    for (const request of hook.requests.slice(1)) expect(request.at).toBeGreaterThanOrEqual(hook.requests[0]!.at);
  });

  it('moves a delivery to dead letters after maxAttempts; retry and drop work on it; a 4xx is dead at once', async () => {
    const hook = await receiver();
    hook.defaultStatus = 500;
    const db = ledger();
    const clock = { now: 20_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22)] }, clock.now);
    const dispatcher = dispatcherFor(db, webhookConfig(hook.url), clock);
    for (let i = 0; i < 3; i += 1) {
      await dispatcher.drain();
      clock.now += 3_600_000;
    }
    expect(hook.requests).toHaveLength(3);
    expect(deliveryRows(db)[0]).toMatchObject({ status: 'dead', attempts: 3 });
    expect(outboxCounts(db).dead).toBe(1);
    const [dead] = listOutbox(db, 'dead', 10);
    expect(dead!.deliveries[0]).toMatchObject({ sink: 'hook', status: 'dead' });
    expect(dead!.lastError).toContain('HTTP 500');

    hook.defaultStatus = 200;
    expect(retryOutbox(db, [dead!.id], clock.now)).toBe(1);
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(4);
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 1, dead: 0 });

    hook.defaultStatus = 400;
    record(db, { findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.9', 9)] }, clock.now);
    await dispatcher.drain();
    expect(hook.requests).toHaveLength(5);
    const rejected = listOutbox(db, 'dead', 10);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.deliveries[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dropOutbox(db, [rejected[0]!.id], 'tester', clock.now)).toBe(1);
    expect(listOutbox(db, 'undelivered', 10)).toEqual([]);
    expect(listOutbox(db, 'all', 10)[0]!.deliveries[0]).toMatchObject({ status: 'dropped' });
  });

  it('loses nothing when the dispatcher dies mid-delivery: a fresh one resends what was in flight', async () => {
    const hook = await receiver();
    const db = ledger();
    const clock = { now: 30_000_000 };
    const findings = Array.from({ length: 40 }, (_, i) => portFinding('10.0.0.1', 1000 + i));
    record(db, { findings }, clock.now);
    const release = hook.hold();
    const doomed = dispatcherFor(db, webhookConfig(hook.url, { concurrency: 4 }), clock);
    void doomed.runOnce();
    await hook.waitFor(4);
    doomed.abandon();
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The abandoned process recorded nothing for what it had in flight.
    expect(deliveryRows(db).filter((d) => d.status === 'delivered')).toHaveLength(0);

    const restarted = dispatcherFor(db, webhookConfig(hook.url, { concurrency: 4 }), clock);
    await restarted.drain();
    const keys = hook.requests.map((r) => String(r.headers['x-vigil-delivery']));
    expect(new Set(keys).size).toBe(40);
    // At least once: exactly the 4 in flight were sent twice, with the same idempotency keys.
    expect(keys.length).toBe(44);
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 40, dead: 0 });
  });
});

describe('alerting rules', () => {
  const slackConfig = (url: string, routes: unknown[] = [{ sinks: ['chat'] }]) => ({
    sinks: { chat: { type: 'slack', url, digestTop: 3 } },
    routes,
    runbooks: { 'ports.*': 'https://runbooks.example.test/ports', 'ports.unexpected-open': 'https://runbooks.example.test/ports/open' },
  });

  it('groups a run into one digest (counts plus top items, each with remediation and runbook)', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 40_000_000 };
    const findings = [
      portFinding('10.0.0.1', 22, { severity: 'critical', remediation: 'Remove the 0.0.0.0/0 rule for 22/tcp' }),
      ...Array.from({ length: 5 }, (_, i) => portFinding('10.0.0.2', 8000 + i)),
    ];
    record(db, { findings }, clock.now);
    await dispatcherFor(db, slackConfig(chat.url), clock).drain();
    expect(chat.requests).toHaveLength(1);
    const message = chat.json(0);
    expect(message.text).toBe('Vigil ports.unexpected-open: 6 new');
    expect(message.attachments[0].color).toBe('#8B0000');
    const sections = message.attachments[0].blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain('*[critical] Unexpected open port 22/tcp on 10.0.0.1*');
    expect(sections[0]).toContain('*First step:* Remove the 0.0.0.0/0 rule for 22/tcp');
    // The most specific runbook glob wins.
    expect(sections[0]).toContain('<https://runbooks.example.test/ports/open|Runbook>');
    for (const section of sections.slice(1)) expect(section).toContain('*First step:* No remediation text');
    expect(message.attachments[0].blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 3 more' }] });
  });

  it('alerts on change only: not on still-open, lowered severity or silenced findings; yes on raised severity, reopen and expiry', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 50_000_000 };
    const config = slackConfig(chat.url);
    const dispatcher = dispatcherFor(db, config, clock);
    const base = [portFinding('10.0.0.1', 22), portFinding('10.0.0.1', 23), portFinding('10.0.0.1', 24)];
    record(db, { findings: base }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);

    // Still open, one muted, one marked false positive: nothing to say.
    const fingerprints = (db.prepare('SELECT fingerprint, resource_id FROM findings ORDER BY resource_id').all() as { fingerprint: string }[]).map((r) => r.fingerprint);
    setDecision(db, { fingerprint: fingerprints[1]!, decision: 'muted', reason: 'lab host', actor: 'ana' }, clock.now);
    setDecision(db, { fingerprint: fingerprints[2]!, decision: 'accepted', reason: 'legacy until migration', actor: 'ana', until: clock.now + 86_400_000 }, clock.now);
    clock.now += 60_000;
    record(db, { findings: base }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);

    // Lowered severity stays quiet; a raised one alerts even though the finding was already open.
    clock.now += 60_000;
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'low' }), base[1]!, base[2]!] }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);
    clock.now += 60_000;
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'high' }), portFinding('10.0.0.1', 23, { severity: 'critical' }), base[2]!] }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(2);
    expect(chat.json(1).text).toBe('Vigil ports.unexpected-open: 1 severity raised');

    // Resolve (quiet by default), then reopen: the reopen alerts. The accepted risk lapses: that alerts too.
    clock.now += 60_000;
    record(db, { findings: base.slice(1) }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(2);
    clock.now += 2 * 86_400_000;
    record(db, { findings: base }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(3);
    expect(chat.json(2).text).toBe('Vigil ports.unexpected-open: 1 reopened, 1 accepted risk expired');
  });

  it('announces failed and partial runs; routes by first match unless continue; sends nothing unrouted', async () => {
    const chat = await receiver();
    const hook = await receiver();
    const db = ledger();
    const clock = { now: 60_000_000 };
    const config = {
      sinks: { chat: { type: 'slack', url: chat.url }, hook: { type: 'webhook', url: hook.url, secret: SECRET } },
      routes: [
        { name: 'crit', match: { severity: 'critical' }, sinks: ['hook'], continue: true },
        { name: 'ports', match: { check: ['ports.*'] }, sinks: ['chat'] },
        { name: 'never', sinks: ['hook'] },
      ],
    };
    record(
      db,
      {
        outcome: 'partial',
        coverage: { ok: ['host:10.0.0.1'], failed: [{ scope: 'host:10.0.0.2', error: { name: 'CollectorUnreachable', message: 'timed out' } }] },
        findings: [portFinding('10.0.0.1', 22, { severity: 'critical' }), portFinding('10.0.0.1', 80)],
      },
      clock.now,
    );
    record(db, { checkId: 'dns.dangling-cname', outcome: 'failed', error: 'resolver refused', findings: [] }, clock.now);
    await dispatcherFor(db, config, clock).drain();
    // crit → hook (the critical finding; run problems have no severity, so the partial run too, and continue);
    // ports → chat digest with the partial run; the dns failure matches only 'never' → hook.
    const chatText = chat.requests.map((r) => JSON.parse(r.body).text);
    expect(chatText).toEqual(['Vigil ports.unexpected-open: 2 new, run partial']);
    const partialBlock = chat.json(0).attachments[0].blocks[1].text.text;
    expect(partialBlock).toContain('could not look at: host:10.0.0.2 (timed out)');
    const hookTopics = hook.requests.map((r) => JSON.parse(r.body).topic).sort();
    expect(hookTopics).toEqual(['finding.new', 'run.failed', 'run.partial']);
  });

  it('reminds about criticals that stay open after the route repeat interval, as one digest, until resolved or silenced', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 70_000_000 };
    const config = {
      notify: { repeatSweep: '1m' },
      ...slackConfig(chat.url, [{ name: 'oncall', sinks: ['chat'], repeatInterval: '4h' }]),
    };
    const dispatcher = dispatcherFor(db, config, clock);
    const findings = [portFinding('10.0.0.1', 22, { severity: 'critical' }), portFinding('10.0.0.1', 23, { severity: 'critical' }), portFinding('10.0.0.1', 80)];
    record(db, { findings }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);
    clock.now += 3 * 3_600_000;
    record(db, { findings }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);
    clock.now += 3_600_000;
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(2);
    expect(chat.json(1).text).toBe('Vigil ports.unexpected-open: 2 still open');
    // Not again until another interval has passed; a muted one drops out of reminders.
    clock.now += 60_000;
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(2);
    const fp = (db.prepare(`SELECT fingerprint FROM findings WHERE resource_id = '10.0.0.1:23'`).get() as { fingerprint: string }).fingerprint;
    setDecision(db, { fingerprint: fp, decision: 'muted', reason: 'known', actor: 'ana' }, clock.now);
    clock.now += 4 * 3_600_000;
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(3);
    expect(chat.json(2).text).toBe('Vigil ports.unexpected-open: 1 still open');
  });
});

describe('kill-switch remediation events', () => {
  it('announces remediated and failed remediations in the run digest, with what was done', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 80_000_000 };
    const finding = portFinding('10.0.0.1', 22, { severity: 'high' });
    const other = portFinding('10.0.0.1', 23, { severity: 'high' });
    record(db, { findings: [finding, other] }, clock.now);
    const dispatcher = dispatcherFor(db, { sinks: { chat: { type: 'slack', url: chat.url } }, routes: [{ sinks: ['chat'] }] }, clock);
    await dispatcher.drain();
    clock.now += 60_000;
    record(
      db,
      {
        findings: [finding, other],
        remediations: [
          { resourceId: finding.resourceId, actions: ['guardduty:UpdateDetector'], outcome: 'fixed', before: { status: 'DISABLED' }, after: { status: 'ENABLED' } },
          { resourceId: other.resourceId, actions: ['guardduty:UpdateDetector'], outcome: 'failed', before: { status: 'DISABLED' }, after: null, error: 'AccessDenied' },
        ],
      },
      clock.now,
    );
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(2);
    expect(chat.json(1).text).toBe('Vigil ports.unexpected-open: 1 remediated, 1 remediation failed');
  });

  it('a remediation is alerted as critical: it reaches a critical-only route even when the drift itself was high', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 81_000_000 };
    const finding = portFinding('10.0.0.2', 22, { severity: 'high' });
    const dispatcher = dispatcherFor(db, { sinks: { chat: { type: 'slack', url: chat.url } }, routes: [{ match: { severity: 'critical' }, sinks: ['chat'] }] }, clock);
    record(db, { findings: [finding] }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(0);
    clock.now += 60_000;
    record(db, { findings: [finding], remediations: [{ resourceId: finding.resourceId, actions: ['guardduty:UpdateDetector'], outcome: 'fixed', before: { status: 'DISABLED' }, after: { status: 'ENABLED' } }] }, clock.now);
    await dispatcher.drain();
    expect(chat.requests).toHaveLength(1);
    expect(chat.json(0).text).toBe('Vigil ports.unexpected-open: 1 remediated');
    expect(JSON.stringify(chat.json(0))).toContain('critical');
  });
});

describe('digest size', () => {
  it('a run larger than one fan-out batch still makes exactly one digest', async () => {
    const chat = await receiver();
    const db = ledger();
    const clock = { now: 90_000_000 };
    record(db, { findings: Array.from({ length: 1_200 }, (_, i) => portFinding(`10.1.${i >> 8}.${i & 255}`, 443)) }, clock.now);
    await dispatcherFor(db, { sinks: { chat: { type: 'slack', url: chat.url, digestTop: 5 } }, routes: [{ sinks: ['chat'] }] }, clock).drain();
    expect(chat.requests).toHaveLength(1);
    expect(chat.json(0).text).toBe('Vigil ports.unexpected-open: 1200 new');
    expect(chat.json(0).attachments[0].blocks.at(-1).elements[0].text).toBe('…and 1195 more');
    expect(outboxCounts(db)).toEqual({ pending: 0, delivered: 1_200, dead: 0 });
  });
});
