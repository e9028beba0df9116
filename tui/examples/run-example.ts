import { render } from 'ink';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { openStore } from '../../src/store/db.js';
import { App } from '../app.js';
import { createTuiData } from '../data/source.js';
import type { Route } from '../routes.js';
import { FIXTURE_CATALOG, FIXTURE_NOW, seedBulkFindings, seedSmallPosture } from './fixture.js';

/**
 * Renders the real App on a throwaway ledger seeded with fixture posture, opened at one screen. `--bulk N` adds N
 * generated findings (try 100000). Actions work and write to the throwaway ledger; "run now" only prints what it would run.
 */
export async function runExample(initial: Route): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tui-example-'));
  const db = openStore(join(dir, 'ledger.db'));
  seedSmallPosture(db);
  const bulk = process.argv.indexOf('--bulk');
  if (bulk !== -1) seedBulkFindings(db, Number(process.argv[bulk + 1] ?? 100_000));
  const data = createTuiData(db, { catalog: FIXTURE_CATALOG, dbPath: join(dir, 'ledger.db'), spawnRun: () => undefined });
  const instance = render(createElement(App, { data, actor: 'example', readOnly: process.argv.includes('--read-only'), now: () => FIXTURE_NOW, initial }));
  await instance.waitUntilExit();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
