import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { slackTriageButtons } from '../../src/api/slack/actions.js';
import { slackSignature } from '../../src/api/slack/verify.js';
import { recordRun } from '../../src/store/record-run.js';
import { listFindings } from '../../src/store/queries/findings.js';
import { portFinding, runResult } from '../builders/run-result.js';
import { useTempDir } from '../builders/temp-dir.js';
import { SLACK_SECRET, startHarness, type ApiHarness } from './api-harness.js';

/** Posts a form the way Slack does, signed with `secret` at `timestamp` (seconds), to the real server. */
function slackPost(base: string, path: string, form: Record<string, string>, options: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const body = new URLSearchParams(form).toString();
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature ?? slackSignature(options.secret ?? SLACK_SECRET, timestamp, body);
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = httpRequest(
      new URL(path, base),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const command = (text: string) => ({ command: '/vigil', text, user_id: 'U123', user_name: 'ana', team_id: 'T1', response_url: 'http://127.0.0.1:9/unused' });
const action = (actionId: string, value: string) => ({
  payload: JSON.stringify({ type: 'block_actions', user: { id: 'U123', username: 'ana' }, actions: [{ action_id: actionId, value, type: 'button' }] }),
});

describe('Slack ChatOps', () => {
  const tempDir = useTempDir();
  const open: ApiHarness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  async function start() {
    const h = await startHarness(tempDir());
    open.push(h);
    recordRun(h.db, runResult({ findings: [portFinding('10.0.0.1', 22, { severity: 'high' }), portFinding('10.0.0.1', 8080, { severity: 'low' })] }));
    return h;
  }

  it('refuses a bad signature, a stale or future timestamp, and missing headers with 401', async () => {
    const h = await start();
    const wrongSecret = await slackPost(h.api.url, '/v1/slack/commands', command('status'), { secret: 'not-the-secret' });
    const stale = await slackPost(h.api.url, '/v1/slack/commands', command('status'), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const future = await slackPost(h.api.url, '/v1/slack/commands', command('status'), { timestamp: Math.floor(Date.now() / 1000) + 301 });
    const unsigned = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.mute', 'x'), { signature: '' });
    expect([wrongSecret.status, wrongSecret.json.error]).toEqual([401, 'Slack signature does not match']);
    expect([stale.status, stale.json.error]).toEqual([401, 'Slack request timestamp is outside the 5-minute replay window']);
    expect([future.status, future.json.error]).toEqual([401, 'Slack request timestamp is outside the 5-minute replay window']);
    expect([unsigned.status, unsigned.json.error]).toEqual([401, 'missing Slack signature headers']);
    // A signature is over the exact body: a replayed signature with a changed body does not verify.
    const timestamp = Math.floor(Date.now() / 1000);
    const sigForStatus = slackSignature(SLACK_SECRET, String(timestamp), new URLSearchParams(command('status')).toString());
    const tampered = await slackPost(h.api.url, '/v1/slack/commands', command('run ports.unexpected-open'), { timestamp, signature: sigForStatus });
    expect(tampered.status).toBe(401);
    expect(h.recorded).toEqual([]);
  });

  it('/vigil status and /vigil findings answer from the ledger', async () => {
    const h = await start();
    const status = await slackPost(h.api.url, '/v1/slack/commands', command('status'));
    expect(status.status).toBe(200);
    expect(status.json.response_type).toBe('ephemeral');
    expect(status.json.text).toContain('*Open findings* (undecided): critical 0 · high 1 · medium 0 · low 1 · info 0');
    expect(status.json.text).toContain('• `ports.unexpected-open` ok at 1970-01-01T00:00:02.000Z');
    const high = await slackPost(h.api.url, '/v1/slack/commands', command('findings high ports.*'));
    const lines = (high.json.text as string).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^• \*high\* `[0-9a-f]{12}` ports\.unexpected-open: Unexpected open port 22\/tcp on 10\.0\.0\.1$/);
    const help = await slackPost(h.api.url, '/v1/slack/commands', command('dance'));
    expect(help.json.text).toMatch(/^Usage: /);
  });

  it('/vigil run queues a configured check (recorded as an api run) and explains an unknown one', async () => {
    const h = await start();
    const unknown = await slackPost(h.api.url, '/v1/slack/commands', command('run ports.nope'));
    expect(unknown.json).toEqual({ response_type: 'ephemeral', text: ":warning: unknown check 'ports.nope' (see `audit checks`)" });
    const ok = await slackPost(h.api.url, '/v1/slack/commands', command('run ports.unexpected-open edge'));
    expect(ok.json.response_type).toBe('in_channel');
    expect(ok.json.text).toMatch(/^:arrow_forward: ana queued ports\.unexpected-open on edge \(api-[0-9a-f-]+\)$/);
    await h.waitForRecorded(1);
    expect(h.recorded.map((r) => [r.targetId, r.trigger, r.outcome])).toEqual([['edge', 'api', 'ok']]);
  });

  it('records mute, accept-risk and false-positive buttons as decisions carrying the Slack user', async () => {
    const h = await start();
    const [ssh, web] = listFindings(h.db, {});
    const before = Date.now();
    const mute = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.mute', ssh!.fingerprint));
    const accept = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.accept-risk', web!.fingerprint));
    expect(mute.json).toEqual({ response_type: 'ephemeral', replace_original: false, text: `Recorded *muted* on \`${ssh!.fingerprint.slice(0, 12)}\` for @ana.` });
    expect(accept.status).toBe(200);
    const after = listFindings(h.db, {});
    const byFp = new Map(after.map((f) => [f.fingerprint, f]));
    expect(byFp.get(ssh!.fingerprint)).toMatchObject({ decision: 'muted', decisionBy: 'slack:ana (U123)', decisionReason: 'mute from Slack by @ana' });
    const accepted = byFp.get(web!.fingerprint)!;
    expect([accepted.decision, accepted.decisionBy]).toEqual(['accepted', 'slack:ana (U123)']);
    expect(accepted.decisionUntil! - before).toBeGreaterThanOrEqual(90 * 86_400_000 - 5_000);
    const fp = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.false-positive', ssh!.fingerprint));
    expect(fp.status).toBe(200);
    const rows = h.db.prepare('SELECT decision, actor FROM decisions ORDER BY id').all();
    expect(rows).toEqual([
      { decision: 'muted', actor: 'slack:ana (U123)' },
      { decision: 'accepted', actor: 'slack:ana (U123)' },
      { decision: 'false_positive', actor: 'slack:ana (U123)' },
    ]);
  });

  it('answers 400 for an unknown finding or action, recording nothing', async () => {
    const h = await start();
    const missing = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.mute', 'f'.repeat(64)));
    const bogus = await slackPost(h.api.url, '/v1/slack/actions', action('vigil.delete-everything', 'x'));
    const garbage = await slackPost(h.api.url, '/v1/slack/actions', { payload: '{not json' });
    expect([missing.status, missing.json.error]).toEqual([400, `no finding with fingerprint ${'f'.repeat(64)}`]);
    expect([bogus.status, bogus.json.error]).toEqual([400, "unknown action 'vigil.delete-everything'"]);
    expect([garbage.status, garbage.json.error]).toEqual([400, 'payload: not a Slack block_actions payload']);
    expect(h.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });
  });

  it('builds alert buttons whose action ids the actions endpoint accepts', () => {
    const block = slackTriageButtons('abc') as { elements: { action_id: string; value: string }[] };
    expect(block.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['vigil.mute', 'abc'],
      ['vigil.accept-risk', 'abc'],
      ['vigil.false-positive', 'abc'],
    ]);
  });
});
