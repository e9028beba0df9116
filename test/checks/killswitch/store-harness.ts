import { join } from 'node:path';
import { fingerprintOf } from '../../../src/findings/fingerprint.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { pendingOutbox } from '../../../src/store/outbox.js';

export function freshStore(dir: string): Db {
  return openStore(join(dir, 'ledger.db'));
}

export function topics(db: Db): string[] {
  return pendingOutbox(db, Number.MAX_SAFE_INTEGER, 10_000).map((row) => row.topic);
}

export function eventsOf(db: Db, checkId: string, resourceId: string, key: string): { type: string; details: any }[] {
  return (db.prepare('SELECT type, details FROM finding_events WHERE fingerprint = ? ORDER BY id').all(fingerprintOf(checkId, resourceId, key)) as { type: string; details: string | null }[]).map(
    (row) => ({ type: row.type, details: row.details ? JSON.parse(row.details) : null }),
  );
}

export function statusOf(db: Db, checkId: string, resourceId: string, key: string): string | undefined {
  return (db.prepare('SELECT status FROM findings WHERE fingerprint = ?').get(fingerprintOf(checkId, resourceId, key)) as { status: string } | undefined)?.status;
}
