import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { JsonValue } from '../check-api/types.js';
import { canonicalJson } from './canonical-json.js';
import { openStore, type Db } from './db.js';

export type BaselineSource = 'capture' | 'file' | 'revert';

/** One approved version of a kill-switch baseline. */
export interface StoredBaseline {
  readonly kind: string;
  readonly targetId: string;
  readonly version: number;
  readonly baseline: { [key: string]: JsonValue };
  readonly digest: string;
  readonly source: BaselineSource;
  readonly approvedBy: string;
  readonly reason: string;
  readonly approvedAt: number;
}

export interface ApproveBaselineInput {
  readonly kind: string;
  readonly targetId: string;
  readonly baseline: { [key: string]: JsonValue };
  readonly source: BaselineSource;
  readonly approvedBy: string;
  readonly reason?: string;
  readonly now?: number;
}

interface Row {
  kind: string;
  target_id: string;
  version: number;
  baseline: string;
  digest: string;
  source: BaselineSource;
  approved_by: string;
  reason: string;
  approved_at: number;
}

export function baselineDigest(baseline: { [key: string]: JsonValue }): string {
  return createHash('sha256').update(canonicalJson(baseline)).digest('hex');
}

/**
 * Records a new approved version, unless it says exactly what the active version says (then nothing is written and
 * the active version is returned with `unchanged: true`), so re-running an approval is idempotent.
 */
export function approveBaseline(db: Db, input: ApproveBaselineInput): StoredBaseline & { readonly unchanged: boolean } {
  const digest = baselineDigest(input.baseline);
  return db.transaction(() => {
    const active = activeBaseline(db, input.kind, input.targetId);
    if (active && active.digest === digest) return { ...active, unchanged: true };
    const version = (active?.version ?? 0) + 1;
    const approvedAt = input.now ?? Date.now();
    db.prepare(
      `INSERT INTO killswitch_baselines (kind, target_id, version, baseline, digest, source, approved_by, reason, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(input.kind, input.targetId, version, JSON.stringify(input.baseline), digest, input.source, input.approvedBy, input.reason ?? '', approvedAt);
    return { kind: input.kind, targetId: input.targetId, version, baseline: input.baseline, digest, source: input.source, approvedBy: input.approvedBy, reason: input.reason ?? '', approvedAt, unchanged: false };
  })();
}

export function activeBaseline(db: Db, kind: string, targetId: string): StoredBaseline | undefined {
  const row = db.prepare(`SELECT * FROM killswitch_baselines WHERE kind = ? AND target_id = ? ORDER BY version DESC LIMIT 1`).get(kind, targetId) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function baselineVersion(db: Db, kind: string, targetId: string, version: number): StoredBaseline | undefined {
  const row = db.prepare(`SELECT * FROM killswitch_baselines WHERE kind = ? AND target_id = ? AND version = ?`).get(kind, targetId, version) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Every version, newest first. */
export function baselineHistory(db: Db, kind: string, targetId: string): StoredBaseline[] {
  return (db.prepare(`SELECT * FROM killswitch_baselines WHERE kind = ? AND target_id = ? ORDER BY version DESC`).all(kind, targetId) as Row[]).map(fromRow);
}

function fromRow(row: Row): StoredBaseline {
  return {
    kind: row.kind,
    targetId: row.target_id,
    version: row.version,
    baseline: JSON.parse(row.baseline) as { [key: string]: JsonValue },
    digest: row.digest,
    source: row.source,
    approvedBy: row.approved_by,
    reason: row.reason,
    approvedAt: row.approved_at,
  };
}

/** What kill-switch checks find in `ctx.services.killswitchBaselines`. */
export interface BaselineReader {
  active(kind: string, targetId: string): StoredBaseline | undefined;
}

/** A reader over an open ledger (the daemon's, or a test's). */
export function ledgerBaselineReader(db: Db): BaselineReader {
  return { active: (kind, targetId) => activeBaseline(db, kind, targetId) };
}

/**
 * A reader that opens the ledger file read-only on first use (CLI runs, BullMQ workers on the ledger's host). A ledger
 * that does not exist yet holds no baseline; one from before migration 008 is reported as such, not as "no baseline".
 */
export function ledgerFileBaselineReader(path: string): BaselineReader {
  let db: Db | undefined;
  return {
    active(kind, targetId) {
      if (!db) {
        if (!existsSync(path)) return undefined;
        db = openStore(path, { readonly: true });
      }
      const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'killswitch_baselines'`).get();
      if (!hasTable) throw new Error(`the ledger ${path} predates kill-switch baselines (migration 008); run any write command (e.g. \`audit run\`) once to migrate it`);
      return activeBaseline(db, kind, targetId);
    },
  };
}
