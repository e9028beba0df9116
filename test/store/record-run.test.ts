import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import { openStore, type Db } from '../../src/store/db.js';
import { setDecision } from '../../src/store/decisions.js';
import { pendingOutbox } from '../../src/store/outbox.js';
import { findingEvents, listFindings } from '../../src/store/queries/findings.js';
import { lastSlot, listRuns, readCursors } from '../../src/store/queries/runs.js';
import { recordRun } from '../../src/store/record-run.js';
import { portFinding, runResult } from '../builders/run-result.js';
import { useTempDir } from '../builders/temp-dir.js';

const tempDir = useTempDir();
const fp = (address: string, port: number) => fingerprintOf('ports.unexpected-open', `${address}:${port}`, '');

function freshStore(): Db {
  return openStore(join(tempDir(), 'ledger.db'));
}

function statusOf(db: Db, fingerprint: string): string | undefined {
  return listFindings(db, { fingerprints: [fingerprint] })[0]?.status;
}

describe('recordRun lifecycle', () => {
  it('walks new → open → resolved → reopened → open with an event and an outbox row per transition', () => {
    const db = freshStore();
    const finding = portFinding('10.0.0.1', 22);
    recordRun(db, runResult({ findings: [finding] }), 10);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('new');
    recordRun(db, runResult({ findings: [finding] }), 20);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('open');
    const resolved = recordRun(db, runResult({ findings: [] }), 30);
    expect(resolved.resolved).toBe(1);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('resolved');
    const reopened = recordRun(db, runResult({ findings: [finding] }), 40);
    expect(reopened.reopened).toBe(1);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('reopened');
    recordRun(db, runResult({ findings: [finding] }), 50);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('open');

    const events = findingEvents(db, fp('10.0.0.1', 22)).map((e) => `${e.fromStatus ?? '-'}>${e.toStatus}`);
    expect(events).toEqual(['->new', 'new>open', 'open>resolved', 'resolved>reopened', 'reopened>open']);
    const topics = pendingOutbox(db, 100).map((row) => row.topic);
    expect(topics).toEqual(['finding.new', 'finding.open', 'finding.resolved', 'finding.reopened', 'finding.open']);
  });

  it.each(['failed', 'aborted', 'timeout'] as const)('a %s run changes no lifecycle state and records only its run row', (outcome) => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22)] }), 10);
    const summary = recordRun(db, runResult({ outcome, error: 'boom', findings: [portFinding('10.0.0.1', 3306)] }), 20);
    expect(summary).toMatchObject({ recorded: true, seen: 0, new: 0, resolved: 0 });
    expect(listFindings(db).map((f) => [f.resourceId, f.status])).toEqual([['10.0.0.1:22', 'new']]);
    expect(listRuns(db).map((r) => r.outcome)).toEqual([outcome, 'ok']);
    expect(pendingOutbox(db, 100).map((r) => r.topic)).toContain(outcome === 'aborted' ? 'finding.new' : `run.${outcome}`);
  });

  it('a partial run records what it saw but resolves nothing, not even in the scopes it covered', () => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.2', 80)] }), 10);
    const partial = runResult({
      outcome: 'partial',
      coverage: { ok: ['host:10.0.0.1'], failed: [{ scope: 'host:10.0.0.2', error: { name: 'CollectorUnreachable', message: 'timeout' } }] },
      findings: [portFinding('10.0.0.1', 3306)],
    });
    const summary = recordRun(db, partial, 20);
    expect(summary).toMatchObject({ new: 1, resolved: 0 });
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('new');
    expect(statusOf(db, fp('10.0.0.2', 80))).toBe('new');
    expect(statusOf(db, fp('10.0.0.1', 3306))).toBe('new');
    expect(pendingOutbox(db, 100).map((r) => r.topic)).toContain('run.partial');
  });

  it('a complete run resolves only in the scopes it covered', () => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.9', 80)] }), 10);
    recordRun(db, runResult({ coverage: { ok: ['host:10.0.0.1'], failed: [] }, findings: [] }), 20);
    expect(statusOf(db, fp('10.0.0.1', 22))).toBe('resolved');
    expect(statusOf(db, fp('10.0.0.9', 80))).toBe('new');
  });

  it("a check's resolution reason lands on the resolved event and its outbox row; reasons for findings still seen are ignored", () => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.1', 80)] }), 10);
    const reasons = [
      { resourceId: '10.0.0.1:22', reason: 'closed by the firewall change' },
      { resourceId: '10.0.0.1:80', reason: 'not used: still open' },
    ];
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 80)], resolutionReasons: reasons }), 20);
    const resolved = findingEvents(db, fp('10.0.0.1', 22)).find((e) => e.type === 'resolved');
    expect(resolved?.reason).toBe('closed by the firewall change');
    expect(findingEvents(db, fp('10.0.0.1', 80)).map((e) => e.type)).toEqual(['new', 'open']);
    const outbox = pendingOutbox(db, 30).find((row) => row.topic === 'finding.resolved');
    expect((outbox!.payload as { reason: string }).reason).toBe('closed by the firewall change');
  });

  it('accepts a run id and a schedule tick once, whoever reports it', () => {
    const db = freshStore();
    const first = runResult({ scheduleId: 'nightly', slot: 60_000, findings: [portFinding('10.0.0.1', 22)] });
    expect(recordRun(db, first, 10).recorded).toBe(true);
    expect(recordRun(db, first, 11).recorded).toBe(false);
    expect(recordRun(db, { ...first, runId: 'other-id' }, 12).recorded).toBe(false);
    expect(listRuns(db)).toHaveLength(1);
    expect(lastSlot(db, 'nightly')).toBe(60_000);
  });

  it('records severity changes and lets accepted risk lapse at its date', () => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22)] }), 10);
    setDecision(db, { fingerprint: fp('10.0.0.1', 22), decision: 'accepted', until: 1_000, reason: 'jump host until migration', actor: 'alice' }, 20);
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22, { severity: 'high' })] }), 500);
    let row = listFindings(db, { fingerprints: [fp('10.0.0.1', 22)] })[0]!;
    expect(row.decision).toBe('accepted');
    expect(row.severity).toBe('high');
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22, { severity: 'high' })] }), 2_000);
    row = listFindings(db, { fingerprints: [fp('10.0.0.1', 22)] })[0]!;
    expect(row.decision).toBeNull();
    const types = findingEvents(db, fp('10.0.0.1', 22)).map((e) => e.type);
    expect(types).toEqual(['new', 'decision_accepted', 'open', 'severity_changed', 'accepted_expired']);
    const decisionEvent = findingEvents(db, fp('10.0.0.1', 22))[1]!;
    expect(decisionEvent).toMatchObject({ actor: 'alice', reason: 'jump host until migration' });
  });

  it('refuses decisions without a reason and acceptance without a future date', () => {
    const db = freshStore();
    recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22)] }), 10);
    expect(() => setDecision(db, { fingerprint: fp('10.0.0.1', 22), decision: 'muted', reason: ' ', actor: 'bob' }, 20)).toThrow(/reason/);
    expect(() => setDecision(db, { fingerprint: fp('10.0.0.1', 22), decision: 'accepted', reason: 'x', actor: 'bob' }, 20)).toThrow(/until/);
    expect(() => setDecision(db, { fingerprint: 'nope', decision: 'muted', reason: 'x', actor: 'bob' }, 20)).toThrow(/no finding/);
  });

  it('commits cursor writes with runs that recorded findings, never with failed ones', () => {
    const db = freshStore();
    recordRun(db, runResult({ cursorWrites: { head: 'abc' } }), 10);
    recordRun(db, runResult({ outcome: 'failed', error: 'x', cursorWrites: { head: 'def' } }), 20);
    expect(readCursors(db, 'ports.unexpected-open', 'lab')).toEqual({ head: 'abc' });
  });

  it('never stores the same finding twice when a check yields it twice in one run', () => {
    const db = freshStore();
    const summary = recordRun(db, runResult({ findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.1', 22)] }), 10);
    expect(summary.seen).toBe(1);
    expect(listFindings(db)).toHaveLength(1);
  });
});
