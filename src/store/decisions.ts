import { StoreError } from '../check-api/errors.js';
import type { Decision } from '../findings/lifecycle.js';
import type { Db } from './db.js';
import { findingFromRaw, type RawFindingRow } from './finding-row.js';
import { appendEvent } from './record-run.js';

export interface DecisionRequest {
  readonly fingerprint: string;
  /** 'cleared' undoes the current decision. */
  readonly decision: Decision | 'cleared';
  readonly reason: string;
  readonly actor: string;
  /** Required for 'accepted': when the acceptance lapses and the finding alerts again. */
  readonly until?: number;
}

/** Records a person's decision about a finding, with who and why, as a decision row, an event and an outbox row. */
export function setDecision(db: Db, request: DecisionRequest, now = Date.now()): void {
  if (request.reason.trim() === '') throw new StoreError('a decision needs a reason');
  if (request.decision === 'accepted' && (request.until === undefined || request.until <= now)) {
    throw new StoreError('accepting a risk needs a date in the future (until)');
  }
  db.transaction(() => {
    const raw = db.prepare('SELECT * FROM findings WHERE fingerprint = ?').get(request.fingerprint) as RawFindingRow | undefined;
    if (!raw) throw new StoreError(`no finding with fingerprint ${request.fingerprint}`);
    const before = findingFromRaw(raw);
    const decision = request.decision === 'cleared' ? null : request.decision;
    const until = request.decision === 'accepted' ? (request.until ?? null) : null;
    db.prepare(
      `UPDATE findings SET decision = ?, decision_until = ?, decision_reason = ?, decision_by = ?, decision_at = ? WHERE fingerprint = ?`,
    ).run(decision, until, request.reason, request.actor, now, request.fingerprint);
    db.prepare(`INSERT INTO decisions (fingerprint, decision, until, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)`).run(
      request.fingerprint,
      request.decision,
      until,
      request.reason,
      request.actor,
      now,
    );
    const after = findingFromRaw(db.prepare('SELECT * FROM findings WHERE fingerprint = ?').get(request.fingerprint) as RawFindingRow);
    appendEvent(
      db,
      after,
      {
        type: request.decision === 'cleared' ? 'decision_cleared' : `decision_${request.decision}`,
        from: before.status,
        to: after.status,
        actor: request.actor,
        reason: request.reason,
        details: { previous: before.decision, decision: decision, until },
      },
      now,
    );
  }).immediate();
}
