import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cisSummary, cisSummaryFromRuns } from '../../../../checks/cloud/aws/cis-summary.js';
import { loadAwsInventory, replaySession } from '../../../../checks/cloud/aws/collect/inventory-file.js';
import { openStore } from '../../../../src/store/db.js';
import { recordRun } from '../../../../src/store/record-run.js';
import { listRuns } from '../../../../src/store/queries/runs.js';
import { SdkFake } from '../../../fakes/aws-sdk/sdk-fake.js';
import { runAwsGroup } from './collect/harness.js';

const FIXTURE = 'test/fixtures/inventories/aws/two-accounts.json';
const dir = mkdtempSync(join(tmpdir(), 'vigil-aws-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CIS summary from the ledger', () => {
  it('is the same as the live summary once the runs are recorded in a real SQLite ledger', async () => {
    const inventory = loadAwsInventory(FIXTURE);
    const results = await runAwsGroup(new SdkFake(), inventory.options, { awsInventory: replaySession(FIXTURE, inventory) });
    const db = openStore(join(dir, 'ledger.db'));
    try {
      for (const result of results) recordRun(db, result);
      const live = cisSummary(results.map((r) => ({ checkId: r.checkId, outcome: r.outcome, findings: r.findings.length })));
      const fromLedger = cisSummaryFromRuns(listRuns(db, { limit: 1000 }));
      expect(fromLedger).toEqual(live);
      expect(fromLedger.counts).toEqual({ pass: 11, fail: 32, unknown: 13, manual: 8, 'not-run': 0 });
    } finally {
      db.close();
    }
  }, 60_000);
});
