import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createSinks } from '../../src/notify/index.js';
import { silentLogger } from '../../src/log.js';
import { setDecision } from '../../src/store/decisions.js';
import type { Db } from '../../src/store/db.js';
import { useTempDir } from '../builders/temp-dir.js';
import { HttpReceiver } from './support/http-receiver.js';
import { dispatcherFor, openLedger, portFinding, record } from './support/ledger.js';

const tempDir = useTempDir('vigil-sinks-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<HttpReceiver> {
  const r = await HttpReceiver.start();
  cleanups.push(() => r.close());
  return r;
}
function ledger(): Db {
  const db = openLedger(tempDir());
  cleanups.push(() => db.close());
  return db;
}

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback (smtp-server), accepting mail without TLS or auth, or refusing it with a code. */
async function smtpServer(refuse?: { code: number; message: string }): Promise<{ port: number; mails: ReceivedMail[] }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse) {
          callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
          return;
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          // Undo quoted-printable soft breaks and escapes so assertions read the text as a mail client shows it.
          raw: Buffer.concat(chunks)
            .toString('utf8')
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

const runbooks = { 'ports.*': 'https://runbooks.example.test/ports' };

describe('sinks', () => {
  it('Teams gets one Adaptive Card per run through a Workflows-style webhook (never a MessageCard)', async () => {
    const teams = await receiver();
    teams.defaultStatus = 202;
    const db = ledger();
    const clock = { now: 1_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'high', remediation: 'Close it', location: { host: '10.0.0.1', port: 22 } }), portFinding('10.0.0.2', 80)] }, clock.now);
    await dispatcherFor(db, { sinks: { teams: { type: 'teams', url: teams.url } }, routes: [{ sinks: ['teams'] }], runbooks }, clock).drain();
    expect(teams.requests).toHaveLength(1);
    const message = teams.json(0);
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = message.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0].text).toBe('Vigil ports.unexpected-open: 2 new');
    const facts = card.body[1].items[1].facts;
    expect(facts).toEqual([
      { title: 'Check', value: 'ports.unexpected-open' },
      { title: 'Resource', value: '10.0.0.1:22' },
      { title: 'Location', value: '10.0.0.1:22' },
      { title: 'First step', value: 'Close it' },
      { title: 'Runbook', value: '[https://runbooks.example.test/ports](https://runbooks.example.test/ports)' },
    ]);
    expect(JSON.stringify(message)).not.toContain('MessageCard');
  });

  it('Slack shows mute / accept / false-positive buttons carrying the fingerprint only when the sink asks for them', async () => {
    const withButtons = await receiver();
    const plain = await receiver();
    const db = ledger();
    const clock = { now: 1_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'high' })] }, clock.now);
    await dispatcherFor(
      db,
      { sinks: { app: { type: 'slack', url: withButtons.url, triageButtons: true }, hook: { type: 'slack', url: plain.url } }, routes: [{ sinks: ['app', 'hook'] }] },
      clock,
    ).drain();
    const blocks = withButtons.json(0).attachments[0].blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const actions = blocks.filter((block) => block.type === 'actions');
    expect(actions).toHaveLength(1);
    const fingerprint = (db.prepare('SELECT fingerprint FROM findings').get() as { fingerprint: string }).fingerprint;
    expect(actions[0]!.elements!.map((e) => [e.action_id, e.value])).toEqual([
      ['vigil.mute', fingerprint],
      ['vigil.accept-risk', fingerprint],
      ['vigil.false-positive', fingerprint],
    ]);
    const plainBlocks = plain.json(0).attachments[0].blocks as { type: string }[];
    expect(plainBlocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('email goes over SMTP as one digest per run in plain text and HTML, with remediation and runbook', async () => {
    const smtp = await smtpServer();
    const db = ledger();
    const clock = { now: 2_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22, { severity: 'critical', remediation: 'Remove <public> ingress & redeploy' })] }, clock.now);
    const config = {
      sinks: { mail: { type: 'email', smtp: { host: '127.0.0.1', port: smtp.port, requireTls: false }, from: 'vigil@example.test', to: ['secops@example.test'] } },
      routes: [{ sinks: ['mail'] }],
      runbooks,
    };
    const dispatcher = dispatcherFor(db, config, clock);
    await dispatcher.drain();
    await dispatcher.stop();
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['secops@example.test']);
    expect(mail.raw).toContain('Subject: Vigil ports.unexpected-open: 1 new');
    expect(mail.raw).toContain('Content-Type: text/plain');
    expect(mail.raw).toContain('Content-Type: text/html');
    expect(mail.raw).toMatch(/first step: Remove <public> ingress & redeploy/);
    expect(mail.raw).toContain('Remove &lt;public&gt; ingress &amp; redeploy');
    expect(mail.raw).toContain('runbook: https://runbooks.example.test/ports');
    expect(mail.raw).toMatch(/Message-ID: <mail-run-/i);
  });

  it('an SMTP 5xx refusal is a dead letter at once; a server that is down is retried', async () => {
    const smtp = await smtpServer({ code: 550, message: 'mailbox unavailable' });
    const db = ledger();
    const clock = { now: 3_000_000 };
    record(db, { findings: [portFinding('10.0.0.1', 22)] }, clock.now);
    const mailSink = (port: number) => ({ type: 'email', smtp: { host: '127.0.0.1', port, requireTls: false }, from: 'vigil@example.test', to: ['secops@example.test'] });
    const refused = dispatcherFor(db, { sinks: { mail: mailSink(smtp.port) }, routes: [{ sinks: ['mail'] }] }, clock);
    await refused.drain();
    await refused.stop();
    expect(db.prepare(`SELECT status, attempts, last_error FROM notify_deliveries`).get()).toMatchObject({ status: 'dead', attempts: 1 });

    const db2 = ledger();
    record(db2, { findings: [portFinding('10.0.0.1', 22)] }, clock.now);
    const down = dispatcherFor(db2, { sinks: { mail: mailSink(1) }, routes: [{ sinks: ['mail'] }] }, clock);
    await down.drain();
    await down.stop();
    expect(db2.prepare(`SELECT status, attempts FROM notify_deliveries`).get()).toEqual({ status: 'pending', attempts: 1 });
  });

  it('PagerDuty triggers per critical finding with the fingerprint as dedup_key and resolves it when fixed or silenced', async () => {
    const pd = await receiver();
    pd.defaultStatus = 202;
    const db = ledger();
    const clock = { now: 4_000_000 };
    const config = {
      sinks: { pager: { type: 'pagerduty', routingKey: 'R0UT1NGKEY', url: `${pd.url}/v2/enqueue` } },
      routes: [{ match: { severity: 'critical' }, sinks: ['pager'] }],
      runbooks,
    };
    const dispatcher = dispatcherFor(db, config, clock);
    const critical = [portFinding('10.0.0.1', 22, { severity: 'critical' }), portFinding('10.0.0.1', 23, { severity: 'critical' })];
    record(db, { findings: [...critical, portFinding('10.0.0.1', 80)] }, clock.now);
    await dispatcher.drain();
    expect(pd.requests).toHaveLength(2);
    const triggers = pd.requests.map((r) => JSON.parse(r.body));
    const fingerprints = new Map((db.prepare('SELECT resource_id, fingerprint FROM findings').all() as { resource_id: string; fingerprint: string }[]).map((r) => [r.resource_id, r.fingerprint]));
    expect(triggers.map((t) => t.dedup_key).sort()).toEqual([fingerprints.get('10.0.0.1:22'), fingerprints.get('10.0.0.1:23')].sort());
    expect(triggers[0]).toMatchObject({ routing_key: 'R0UT1NGKEY', event_action: 'trigger', payload: { severity: 'critical', component: 'ports.unexpected-open' } });
    expect(triggers[0].links).toEqual([{ href: 'https://runbooks.example.test/ports', text: 'Runbook' }]);

    // :22 fixed → resolve; :23 marked false positive → resolve; :80 (never paged) resolves silently.
    setDecision(db, { fingerprint: fingerprints.get('10.0.0.1:23')!, decision: 'false_positive', reason: 'honeypot', actor: 'ana' }, clock.now);
    clock.now += 60_000;
    record(db, { findings: [critical[1]!] }, clock.now);
    await dispatcher.drain();
    const resolves = pd.requests.slice(2).map((r) => JSON.parse(r.body));
    expect(resolves.map((r) => [r.event_action, r.dedup_key]).sort()).toEqual(
      [
        ['resolve', fingerprints.get('10.0.0.1:22')],
        ['resolve', fingerprints.get('10.0.0.1:23')],
      ].sort(),
    );
  });

  it('audit alerts test builds each sink from config and its test message reaches the receiver', async () => {
    const hook = await receiver();
    const db = ledger();
    const config = configSchema.parse({
      sinks: { hook: { type: 'webhook', url: hook.url, secret: 'x'.repeat(16) }, chat: { type: 'slack', url: hook.url } },
    });
    const sinks = createSinks(config, db, silentLogger);
    await sinks.get('hook')!.sendTest(AbortSignal.timeout(5000));
    await sinks.get('chat')!.sendTest(AbortSignal.timeout(5000));
    expect(hook.requests.map((r) => JSON.parse(r.body).text ?? JSON.parse(r.body).type)).toEqual(['Vigil test message: this sink is configured correctly.', 'Vigil test message: this Slack sink is configured correctly.']);
  });
});
