import type { FindingInput } from '../check-api/types.js';
import { fingerprintOf } from '../findings/fingerprint.js';
import { ACTIVE_STATUSES, effectiveDecision, nextStatus, type FindingStatus } from '../findings/lifecycle.js';
import type { RunResult } from '../runs/run-result.js';
import type { Db } from './db.js';
import { findingFieldsOf, findingFromRaw, type FindingRow, type RawFindingRow } from './finding-row.js';
import { appendOutbox } from './outbox.js';
import { statement } from './statement-cache.js';

export const SYSTEM_ACTOR = 'vigil';

export interface RecordSummary {
  /** False when the ledger already held this run (or this schedule tick): the result was ignored. */
  readonly recorded: boolean;
  readonly seen: number;
  readonly new: number;
  readonly reopened: number;
  readonly resolved: number;
  /** Fingerprints seen by this run, in the order the check yielded them. */
  readonly fingerprints: readonly string[];
}

/** Outcomes whose findings are facts worth keeping; only 'ok' is complete enough to resolve anything. */
const OUTCOMES_WITH_FINDINGS = new Set(['ok', 'partial']);
/** Run outcomes people must hear about: something could not be looked at. */
const OUTCOMES_TO_ANNOUNCE = new Set(['partial', 'failed', 'timeout']);

/**
 * Writes one finished run in one transaction: run row, findings upserted by fingerprint with their lifecycle
 * transitions, an event and an outbox row per transition, staged cursor writes and schedule state. A failed, aborted,
 * timed-out or skipped run records only its run row. A partial run records what it saw but resolves nothing, because
 * "not seen" in a run that could not look everywhere proves nothing.
 */
export function recordRun(db: Db, result: RunResult, now = Date.now()): RecordSummary {
  return db.transaction((): RecordSummary => {
    if (alreadyRecorded(db, result)) {
      return { recorded: false, seen: 0, new: 0, reopened: 0, resolved: 0, fingerprints: [] };
    }
    insertRunRow(db, result);
    let counts = { seen: 0, new: 0, reopened: 0, resolved: 0 };
    const fingerprints: string[] = [];
    if (OUTCOMES_WITH_FINDINGS.has(result.outcome)) {
      const seen = upsertFindings(db, result, now);
      fingerprints.push(...seen.fingerprints);
      counts = { ...counts, seen: seen.fingerprints.length, new: seen.new, reopened: seen.reopened };
      recordRemediations(db, result, now);
      if (result.outcome === 'ok') counts.resolved = resolveAbsent(db, result, new Set(seen.fingerprints), now);
      writeCursors(db, result, now);
    }
    if (OUTCOMES_TO_ANNOUNCE.has(result.outcome)) {
      appendOutbox(db, { topic: `run.${result.outcome}`, runId: result.runId, payload: runPayload(result) }, now);
    }
    statement(
      db,
      `UPDATE runs SET findings_seen = ?, findings_new = ?, findings_reopened = ?, findings_resolved = ? WHERE id = ?`,
    ).run(counts.seen, counts.new, counts.reopened, counts.resolved, result.runId);
    if (result.scheduleId !== undefined && result.slot !== undefined) updateScheduleState(db, result, now);
    return { recorded: true, ...counts, fingerprints };
  }).immediate();
}

function alreadyRecorded(db: Db, result: RunResult): boolean {
  if (statement(db, 'SELECT 1 FROM runs WHERE id = ?').get(result.runId)) return true;
  if (result.scheduleId === undefined || result.slot === undefined) return false;
  return statement(db, 'SELECT 1 FROM runs WHERE schedule_id = ? AND slot = ?').get(result.scheduleId, result.slot) !== undefined;
}

function insertRunRow(db: Db, result: RunResult): void {
  statement(
    db,
    `INSERT INTO runs (id, check_id, target_id, trigger, schedule_id, slot, outcome, skip_reason, skip_count,
                       started_at, finished_at, error, coverage)
     VALUES (@id, @checkId, @targetId, @trigger, @scheduleId, @slot, @outcome, @skipReason, @skipCount,
             @startedAt, @finishedAt, @error, @coverage)`,
  ).run({
    id: result.runId,
    checkId: result.checkId,
    targetId: result.targetId,
    trigger: result.trigger,
    scheduleId: result.scheduleId ?? null,
    slot: result.slot ?? null,
    outcome: result.outcome,
    skipReason: result.skipReason ?? null,
    skipCount: result.outcome === 'skipped' ? (result.skipCount ?? 1) : 0,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    error: result.error ?? null,
    coverage: JSON.stringify(result.coverage),
  });
}

interface UpsertTally {
  fingerprints: string[];
  new: number;
  reopened: number;
}

function upsertFindings(db: Db, result: RunResult, now: number): UpsertTally {
  const select = statement(db, 'SELECT * FROM findings WHERE fingerprint = ?');
  const tally: UpsertTally = { fingerprints: [], new: 0, reopened: 0 };
  const unique = new Map<string, FindingInput>();
  for (const finding of result.findings) {
    const fingerprint = fingerprintOf(result.checkId, finding.resourceId, finding.key ?? '');
    // A check that yields the same finding twice in one run describes one fact; the first occurrence wins.
    if (!unique.has(fingerprint)) unique.set(fingerprint, finding);
  }
  for (const [fingerprint, finding] of unique) {
    tally.fingerprints.push(fingerprint);
    const raw = select.get(fingerprint) as RawFindingRow | undefined;
    if (!raw) {
      insertFinding(db, result, fingerprint, finding, now);
      applyAcceptance(db, result, fingerprint, finding, now);
      tally.new += 1;
      continue;
    }
    const existing = findingFromRaw(raw);
    const status = nextStatus(existing.status, 'seen') as FindingStatus;
    updateFinding(db, result, existing, finding, status, now);
    applyAcceptance(db, result, fingerprint, finding, now);
    if (status === 'reopened') tally.reopened += 1;
  }
  return tally;
}

/**
 * A config-declared exception becomes an `accepted` decision (by its owner, until its expiry) in the run's transaction,
 * before the dispatcher reads the outbox, so an excepted finding never alerts. A person's false-positive or mute stands;
 * an expired exception is ignored, and updateFinding's lapse handling has already cleared the old acceptance.
 */
function applyAcceptance(db: Db, result: RunResult, fingerprint: string, finding: FindingInput, now: number): void {
  const acceptance = finding.acceptance;
  if (!acceptance || acceptance.until <= now) return;
  const row = findingFromRaw(statement(db, 'SELECT * FROM findings WHERE fingerprint = ?').get(fingerprint) as RawFindingRow);
  if (row.decision === 'false_positive' || row.decision === 'muted') return;
  if (row.decision === 'accepted' && row.decisionUntil === acceptance.until && row.decisionReason === acceptance.reason) return;
  statement(db, `UPDATE findings SET decision = 'accepted', decision_until = ?, decision_reason = ?, decision_by = ?, decision_at = ? WHERE fingerprint = ?`).run(
    acceptance.until,
    acceptance.reason,
    acceptance.owner,
    now,
    fingerprint,
  );
  statement(db, `INSERT INTO decisions (fingerprint, decision, until, reason, actor, at) VALUES (?, 'accepted', ?, ?, ?, ?)`).run(fingerprint, acceptance.until, acceptance.reason, acceptance.owner, now);
  const updated = findingFromRaw(statement(db, 'SELECT * FROM findings WHERE fingerprint = ?').get(fingerprint) as RawFindingRow);
  appendEvent(
    db,
    updated,
    { type: 'decision_accepted', from: row.status, to: updated.status, runId: result.runId, actor: acceptance.owner, reason: acceptance.reason, details: { previous: row.decision, decision: 'accepted', until: acceptance.until, source: 'config exception' } },
    now,
  );
}

function insertFinding(db: Db, result: RunResult, fingerprint: string, finding: FindingInput, now: number): void {
  statement(
    db,
    `INSERT INTO findings (fingerprint, check_id, resource_id, key, scope, target_id, title, severity, status, evidence,
                           location, remediation, tags, first_seen, last_seen, first_run_id, last_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    fingerprint,
    result.checkId,
    finding.resourceId,
    finding.key ?? '',
    finding.scope ?? result.targetId,
    result.targetId,
    finding.title,
    finding.severity,
    JSON.stringify(finding.evidence),
    finding.location ? JSON.stringify(finding.location) : null,
    finding.remediation ?? null,
    JSON.stringify(finding.tags ?? []),
    now,
    now,
    result.runId,
    result.runId,
  );
  // The row just written, built from the values written rather than read back: a first run of a large check inserts
  // tens of thousands of findings, and re-reading and re-parsing each one's evidence doubled the garbage it made.
  // Object.assign, not an object spread: measured on a 20,000-finding first run, the spread version's garbage was
  // promoted out of V8's young generation and ~140 MB stayed on the heap until the next full collection (bench/deps
  // peak RSS); with Object.assign it dies young. Why the spread's copies survive scavenges was not pinned down.
  const row: FindingRow = Object.assign(findingFieldsOf(result.checkId, result.targetId, finding), {
    status: 'new' as const,
    remediation: finding.remediation ?? null,
    tags: finding.tags ?? [],
    firstSeen: now,
    lastSeen: now,
    resolvedAt: null,
    firstRunId: result.runId,
    lastRunId: result.runId,
    decision: null,
    decisionUntil: null,
    decisionReason: null,
    decisionBy: null,
    decisionAt: null,
  });
  appendEvent(db, row, { type: 'new', from: null, to: 'new', runId: result.runId }, now);
}

function updateFinding(db: Db, result: RunResult, existing: FindingRow, finding: FindingInput, status: FindingStatus, now: number): void {
  const acceptanceLapsed = existing.decision === 'accepted' && effectiveDecision(existing, now) === null;
  statement(
    db,
    `UPDATE findings SET scope = ?, target_id = ?, title = ?, severity = ?, status = ?, evidence = ?, location = ?,
       remediation = ?, tags = ?, last_seen = ?, last_run_id = ?, resolved_at = NULL,
       decision = CASE WHEN ? THEN NULL ELSE decision END,
       decision_until = CASE WHEN ? THEN NULL ELSE decision_until END
     WHERE fingerprint = ?`,
  ).run(
    finding.scope ?? result.targetId,
    result.targetId,
    finding.title,
    finding.severity,
    status,
    JSON.stringify(finding.evidence),
    finding.location ? JSON.stringify(finding.location) : null,
    finding.remediation ?? null,
    JSON.stringify(finding.tags ?? []),
    now,
    result.runId,
    acceptanceLapsed ? 1 : 0,
    acceptanceLapsed ? 1 : 0,
    existing.fingerprint,
  );
  const updated = findingFromRaw(statement(db, 'SELECT * FROM findings WHERE fingerprint = ?').get(existing.fingerprint) as RawFindingRow);
  if (acceptanceLapsed) {
    statement(db, `INSERT INTO decisions (fingerprint, decision, until, reason, actor, at) VALUES (?, 'cleared', NULL, ?, ?, ?)`).run(
      existing.fingerprint,
      'accepted risk expired',
      SYSTEM_ACTOR,
      now,
    );
    appendEvent(db, updated, { type: 'accepted_expired', from: existing.status, to: status, runId: result.runId, details: { until: existing.decisionUntil } }, now);
  }
  if (status !== existing.status) {
    appendEvent(db, updated, { type: status, from: existing.status, to: status, runId: result.runId }, now);
  }
  if (finding.severity !== existing.severity) {
    appendEvent(
      db,
      updated,
      { type: 'severity_changed', from: existing.status, to: status, runId: result.runId, details: { from: existing.severity, to: finding.severity } },
      now,
    );
  }
}

/**
 * Each remediation attempt is an event on the finding it addressed (`remediated` or `remediation_failed`), with the
 * state read before and after, and an outbox row `finding.<type>` in the same transaction.
 */
function recordRemediations(db: Db, result: RunResult, now: number): void {
  const select = statement(db, 'SELECT * FROM findings WHERE fingerprint = ?');
  for (const record of result.remediations ?? []) {
    const raw = select.get(fingerprintOf(result.checkId, record.resourceId, record.key ?? '')) as RawFindingRow | undefined;
    // The runner remediates only findings of this run, which upsertFindings has just written.
    if (!raw) continue;
    const finding = findingFromRaw(raw);
    appendEvent(
      db,
      finding,
      {
        type: record.outcome === 'fixed' ? 'remediated' : 'remediation_failed',
        from: finding.status,
        to: finding.status,
        runId: result.runId,
        details: { actions: [...record.actions], before: record.before, after: record.after, error: record.error ?? null },
      },
      now,
    );
  }
}

/** Resolves active findings of this check, in scopes the run fully covered, that the run did not see. */
function resolveAbsent(db: Db, result: RunResult, seen: ReadonlySet<string>, now: number): number {
  const covered = new Set(result.coverage.ok);
  if (covered.size === 0) return 0;
  const placeholders = ACTIVE_STATUSES.map(() => '?').join(',');
  // Two columns first: a check with tens of thousands of open findings (deps) that covered a few scopes would
  // otherwise read and decode every row's evidence to resolve none of them.
  const candidates = db
    .prepare(`SELECT fingerprint, scope FROM findings WHERE check_id = ? AND status IN (${placeholders})`)
    .all(result.checkId, ...ACTIVE_STATUSES) as { fingerprint: string; scope: string }[];
  const select = statement(db, 'SELECT * FROM findings WHERE fingerprint = ?');
  const toResolve: FindingRow[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.fingerprint) || !covered.has(candidate.scope)) continue;
    toResolve.push(findingFromRaw(select.get(candidate.fingerprint) as RawFindingRow));
  }
  const update = statement(db, `UPDATE findings SET status = 'resolved', resolved_at = ?, last_run_id = ? WHERE fingerprint = ?`);
  const reasons = new Map((result.resolutionReasons ?? []).map((r) => [fingerprintOf(result.checkId, r.resourceId, r.key ?? ''), r.reason]));
  for (const finding of toResolve) {
    update.run(now, result.runId, finding.fingerprint);
    const reason = reasons.get(finding.fingerprint);
    appendEvent(
      db,
      { ...finding, status: 'resolved', resolvedAt: now },
      { type: 'resolved', from: finding.status, to: 'resolved', runId: result.runId, ...(reason !== undefined ? { reason } : {}) },
      now,
    );
  }
  return toResolve.length;
}

function writeCursors(db: Db, result: RunResult, now: number): void {
  const upsert = statement(
    db,
    `INSERT INTO cursors (check_id, target_id, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (check_id, target_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  for (const [key, value] of Object.entries(result.cursorWrites)) upsert.run(result.checkId, result.targetId, key, value, now);
}

function updateScheduleState(db: Db, result: RunResult, now: number): void {
  statement(
    db,
    `INSERT INTO schedule_state (schedule_id, check_id, target_id, last_slot, last_run_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (schedule_id) DO UPDATE SET
       last_slot = max(coalesce(schedule_state.last_slot, 0), excluded.last_slot),
       last_run_id = CASE WHEN excluded.last_slot >= coalesce(schedule_state.last_slot, 0) THEN excluded.last_run_id ELSE schedule_state.last_run_id END,
       updated_at = excluded.updated_at`,
  ).run(result.scheduleId, result.checkId, result.targetId, result.slot, result.runId, now);
}

export interface EventSpec {
  readonly type: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly runId?: string;
  readonly actor?: string;
  readonly reason?: string;
  readonly details?: Record<string, unknown>;
}

/** Every lifecycle transition and decision is an event row plus an outbox row, in the caller's transaction. */
export function appendEvent(db: Db, finding: FindingRow, event: EventSpec, now: number): number {
  const actor = event.actor ?? SYSTEM_ACTOR;
  const info = statement(
    db,
    `INSERT INTO finding_events (fingerprint, run_id, at, type, from_status, to_status, actor, reason, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(finding.fingerprint, event.runId ?? null, now, event.type, event.from, event.to, actor, event.reason ?? null, event.details ? JSON.stringify(event.details) : null);
  const eventId = Number(info.lastInsertRowid);
  appendOutbox(
    db,
    {
      topic: `finding.${event.type}`,
      eventId,
      fingerprint: finding.fingerprint,
      ...(event.runId !== undefined ? { runId: event.runId } : {}),
      payload: {
        event: event.type,
        at: now,
        actor,
        reason: event.reason ?? null,
        details: event.details ?? null,
        fromStatus: event.from,
        finding: {
          fingerprint: finding.fingerprint,
          checkId: finding.checkId,
          resourceId: finding.resourceId,
          key: finding.key,
          scope: finding.scope,
          targetId: finding.targetId,
          title: finding.title,
          severity: finding.severity,
          status: finding.status,
          evidence: finding.evidence,
          location: finding.location,
          remediation: finding.remediation,
          tags: finding.tags,
          decision: effectiveDecision(finding, now),
          firstSeen: finding.firstSeen,
          lastSeen: finding.lastSeen,
        },
      },
    },
    now,
  );
  return eventId;
}

function runPayload(result: RunResult): Record<string, unknown> {
  return {
    runId: result.runId,
    checkId: result.checkId,
    targetId: result.targetId,
    outcome: result.outcome,
    error: result.error ?? null,
    failedScopes: result.coverage.failed,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
  };
}
