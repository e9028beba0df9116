import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import { openStore } from '../../src/store/db.js';
import { recordRun } from '../../src/store/record-run.js';
import { listRunRequests, writeHeartbeat } from '../../src/store/run-requests.js';
import { FIXTURE_NOW } from '../../tui/examples/fixture.js';
import { useTempDir } from '../builders/temp-dir.js';
import { KEY, renderApp, tick } from './harness.js';

const tempDir = useTempDir('vigil-tui-actions-');
const REDIS = fingerprintOf('ports.unexpected-open', '10.0.0.5:6379');

function decisionEvents(db: ReturnType<typeof openStore>, fingerprint: string) {
  return db.prepare(`SELECT type, actor, reason, details FROM finding_events WHERE fingerprint = ? AND type LIKE 'decision_%' ORDER BY id`).all(fingerprint) as {
    type: string;
    actor: string;
    reason: string;
    details: string;
  }[];
}

describe('triage actions', () => {
  test('false positive, accept until a date, and undo each ask why and write an event with the OS user', async () => {
    const h = await renderApp(tempDir(), { initial: { screen: 'findings', query: 'check:ports 10.0.0.5:6379 status:active,false_positive,accepted' } });
    try {
      expect(h.frame().split('\n')[1]).toContain('1 finding');
      expect(h.frame()).toContain('Unexpected open port 6379/tcp on 10.0.0.5');
      await h.press('f');
      expect(h.frame().split('\n').at(-2)).toBe('False positive: why?   (enter ok · esc cancel)');
      await h.press(KEY.enter);
      expect(h.frame()).toContain('a reason is required');
      await h.press(...'redis is the lab cache'.split(''), KEY.enter);
      expect(h.frame().split('\n').at(-1)).toBe(`false positive: ${REDIS.slice(0, 12)} by tester`);
      expect(h.frame()).toMatch(/high\s+false pos\.\s+ports\.unexpected-open\s+Unexpected open port 6379/);

      await h.press('a', ...'soon'.split(''), KEY.enter);
      expect(h.frame().split('\n').at(-1)).toContain("'soon': give a date like 2027-03-31");
      await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'2027-03-31'.split(''), KEY.enter);
      expect(h.frame().split('\n').at(-2)).toBe('Accept risk: why?   (enter ok · esc cancel)');
      await h.press(...'owner fixes in Q1'.split(''), KEY.enter);
      expect(h.frame()).toMatch(/high\s+accepted\s+ports\.unexpected-open/);

      await h.press('u', ...'wrong call'.split(''), KEY.enter);
      expect(h.frame()).toMatch(/high\s+open\s+ports\.unexpected-open\s+Unexpected open port 6379/);

      await h.press('m', KEY.esc);
      expect(h.frame().split('\n').at(-1)).toBe('cancelled');

      const events = decisionEvents(h.db, REDIS);
      expect(events.map(({ type, actor, reason }) => ({ type, actor, reason }))).toEqual([
        { type: 'decision_false_positive', actor: 'tester', reason: 'redis is the lab cache' },
        { type: 'decision_accepted', actor: 'tester', reason: 'owner fixes in Q1' },
        { type: 'decision_cleared', actor: 'tester', reason: 'wrong call' },
      ]);
      expect(JSON.parse(events[1]!.details)).toMatchObject({ decision: 'accepted', until: Date.UTC(2027, 2, 31, 23, 59, 59) });
      const outbox = h.db.prepare(`SELECT count(*) AS n FROM outbox WHERE fingerprint = ? AND topic LIKE 'finding.decision_%'`).get(REDIS) as { n: number };
      expect(outbox.n).toBe(3);
    } finally {
      h.app.unmount();
      h.db.close();
    }
  });

  test('--read-only refuses every action before asking anything and writes nothing', async () => {
    const h = await renderApp(tempDir(), { readOnly: true, initial: { screen: 'findings', query: 'status:active' } });
    try {
      const before = (h.db.prepare('SELECT count(*) AS n FROM finding_events').get() as { n: number }).n;
      for (const key of ['f', 'a', 'm', 'u', 'r']) {
        await h.press(key);
        expect(h.frame().split('\n').at(-1)).toMatch(/^read-only: .* is disabled \(started with --read-only\)$/);
      }
      await h.press(':', 'c', KEY.enter, 'r');
      expect(h.frame().split('\n').at(-1)).toBe('read-only: run now is disabled (started with --read-only)');
      expect(h.frame().split('\n')[0]).toContain('[read-only]');
      expect((h.db.prepare('SELECT count(*) AS n FROM finding_events').get() as { n: number }).n).toBe(before);
      expect(listRunRequests(h.db)).toEqual([]);
      expect(h.spawned).toEqual([]);
    } finally {
      h.app.unmount();
      h.db.close();
    }
  });

  test('run now: with no daemon alive it runs `audit run` in a child process; with a live heartbeat it queues a request', async () => {
    const dir = tempDir();
    const h = await renderApp(dir, { initial: { screen: 'checks' } });
    try {
      await h.press(KEY.down, KEY.down, KEY.down, 'r', ...'verify the fix'.split(''), KEY.enter);
      expect(h.frame().split('\n').at(-1)).toBe('no daemon running: ports.unexpected-open runs in child process 4242');
      expect(h.spawned).toEqual([['--db', join(dir, 'ledger.db'), 'run', 'ports.unexpected-open', '--fail-on', 'none', '--format', 'json']]);

      writeHeartbeat(h.db, Date.now() - 60_000);
      await h.press('r', ...'again'.split(''), KEY.enter);
      expect(h.frame().split('\n').at(-1)).toMatch(/^run of ports\.unexpected-open requested from the daemon \(request \d+\)$/);
      expect(listRunRequests(h.db).map((r) => [r.checkId, r.requestedBy, r.reason, r.status])).toEqual([
        ['ports.unexpected-open', 'tester', 'again', 'pending'],
        ['ports.unexpected-open', 'tester', 'verify the fix', 'child'],
      ]);
      expect(h.spawned).toHaveLength(1);
    } finally {
      h.app.unmount();
      h.db.close();
    }
  });
});

describe('live refresh', () => {
  test('a run recorded by another connection appears without a key press, and the cursor stays on the same finding', async () => {
    const dir = tempDir();
    const h = await renderApp(dir, { pollMs: 40, initial: { screen: 'findings', query: 'status:active' } });
    const daemon = openStore(join(dir, 'ledger.db'));
    try {
      await h.press('j', 'j');
      expect(h.frame().split('\n')[1]).toBe('filter: status:active 8 findings · sort: severity · 3/8');
      const selectedTitle = 'Unexpected open port 5432/tcp on 10.0.0.9';
      recordRun(
        daemon,
        {
          runId: 'run-live-1',
          checkId: 'aws.iam.root-mfa',
          targetId: 'staging-account',
          trigger: 'schedule',
          outcome: 'ok',
          startedAt: FIXTURE_NOW,
          finishedAt: FIXTURE_NOW + 1000,
          coverage: { ok: ['staging-account'], failed: [] },
          findings: [{ resourceId: 'arn:aws:iam::999999999999:root', title: 'Staging root account has no MFA device', severity: 'critical', evidence: { mfaActive: false } }],
          cursorWrites: {},
        },
        FIXTURE_NOW,
      );
      await tick(250);
      const frame = h.frame();
      expect(frame).toContain('Staging root account has no MFA device');
      // One row arrived above: the cursor follows its finding from row 3 to row 4.
      expect(frame.split('\n')[1]).toBe('filter: status:active 9 findings · sort: severity · 4/9');
      await h.press(KEY.enter);
      expect(h.frame().split('\n')[1]).toBe(selectedTitle);
    } finally {
      daemon.close();
      h.app.unmount();
      h.db.close();
    }
  });
});
