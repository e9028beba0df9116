import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podSecurityChecks } from '../../../checks/k8s/pod-security.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { fingerprintOf } from '../../../src/findings/fingerprint.js';
import { openStore } from '../../../src/store/db.js';
import { pendingOutbox } from '../../../src/store/outbox.js';
import { findingEvents, listFindings } from '../../../src/store/queries/findings.js';
import { recordRun } from '../../../src/store/record-run.js';
import type { RunResult } from '../../../src/runs/run-result.js';
import { deployment, inventory, namespace, safeContainer, safePodSpec } from '../../builders/k8s.js';
import { useTempDir } from '../../builders/temp-dir.js';

const check = (podSecurityChecks as unknown as AnyCheck[]).find((c) => c.id === 'k8s.pods.host-network')!;
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');

function run(runId: string, expires: number): RunResult {
  const cluster = inventory([namespace('monitoring'), deployment('node-exporter', safePodSpec({ hostNetwork: true, containers: [safeContainer('e')] }), { namespace: 'monitoring', labels: { app: 'node-exporter' } })]);
  const options = check.options.parse({ exceptions: [{ control: 'k8s.pods.host-network', namespace: 'monitoring', name: 'node-*', reason: 'node metrics need the host network', owner: 'sre-oncall', expires: new Date(expires).toISOString() }] });
  const findings = check.evaluate({ cluster } as never, options);
  return { runId, checkId: check.id, targetId: 'prod', trigger: 'schedule', outcome: 'ok', startedAt: T0, finishedAt: T0, coverage: { ok: [cluster.scope], failed: [] }, findings, cursorWrites: {} };
}

describe('k8s exceptions through the core decisions', () => {
  const tempDir = useTempDir('vigil-k8s-exc-');

  it('records a config exception as an accepted decision by its owner until its expiry, then reopens it when it lapses', () => {
    const db = openStore(join(tempDir(), 'ledger.db'));
    const fingerprint = fingerprintOf(check.id, 'monitoring/Deployment/node-exporter', '');
    const expires = T0 + 30 * DAY;

    recordRun(db, run('r1', expires), T0);
    let row = listFindings(db, { fingerprints: [fingerprint] })[0]!;
    expect([row.status, row.decision, row.decisionUntil, row.decisionBy, row.decisionReason]).toEqual(['new', 'accepted', expires, 'sre-oncall', 'k8s exception: node metrics need the host network']);
    expect(findingEvents(db, fingerprint).map((e) => [e.type, e.actor])).toEqual([
      ['new', 'vigil'],
      ['decision_accepted', 'sre-oncall'],
    ]);

    // Same exception next day: no duplicate decision.
    recordRun(db, run('r2', expires), T0 + DAY);
    expect(findingEvents(db, fingerprint).filter((e) => e.type === 'decision_accepted')).toHaveLength(1);

    // Past the expiry the (unchanged) config no longer silences anything: the acceptance lapses and the finding alerts.
    const outboxBefore = pendingOutbox(db, Number.MAX_SAFE_INTEGER, 10_000).length;
    recordRun(db, run('r3', expires), expires + DAY);
    row = listFindings(db, { fingerprints: [fingerprint] })[0]!;
    expect([row.status, row.decision]).toEqual(['open', null]);
    expect(findingEvents(db, fingerprint).map((e) => e.type)).toContain('accepted_expired');
    expect(pendingOutbox(db, Number.MAX_SAFE_INTEGER, 10_000).length).toBeGreaterThan(outboxBefore);

    // Renewing the exception (a new expiry) accepts it again, audited as a new decision.
    recordRun(db, run('r4', expires + 90 * DAY), expires + 2 * DAY);
    row = listFindings(db, { fingerprints: [fingerprint] })[0]!;
    expect([row.decision, row.decisionUntil]).toEqual(['accepted', expires + 90 * DAY]);
    db.close();
  });
});
