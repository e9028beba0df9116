import { join } from 'node:path';
import { configSchema } from '../../../src/config/schema.js';
import { createDispatcher } from '../../../src/notify/index.js';
import type { OutboxDispatcher } from '../../../src/notify/dispatcher.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { recordRun } from '../../../src/store/record-run.js';
import { portFinding, runResult } from '../../builders/run-result.js';
import type { RunResult } from '../../../src/runs/run-result.js';

export { portFinding, runResult };

export function openLedger(dir: string): Db {
  return openStore(join(dir, 'vigil.db'));
}

export function record(db: Db, overrides: Partial<RunResult>, now: number): RunResult {
  const result = runResult(overrides);
  recordRun(db, result, now);
  return result;
}

/** A dispatcher on a manual clock: tests move time instead of sleeping, while HTTP stays real. */
export function dispatcherFor(db: Db, rawConfig: Record<string, unknown>, clock: { now: number }): OutboxDispatcher {
  const config = configSchema.parse(rawConfig);
  return createDispatcher(db, config, silentLogger, { now: () => clock.now, random: () => 0.5 });
}

export function deliveryRows(db: Db): { sink: string; status: string; attempts: number; outbox_id: number; group_key: string; next_attempt_at: number }[] {
  return db.prepare(`SELECT sink, status, attempts, outbox_id, group_key, next_attempt_at FROM notify_deliveries ORDER BY id`).all() as never;
}
