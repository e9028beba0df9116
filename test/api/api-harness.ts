import { join } from 'node:path';
import { createInProcessBackend } from '../../jobs/in-process/backend.js';
import { registry } from '../../checks/registry.js';
import { startApi, type ApiConfig, type ApiServer } from '../../src/api/server.js';
import { apiSchema } from '../../src/config/schema.js';
import type { ResolvedJob } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import type { RunResult } from '../../src/runs/run-result.js';
import { openStore, type Db } from '../../src/store/db.js';
import { recordRun } from '../../src/store/record-run.js';

/** Synthetic API token, built at test time so the repo holds no token-shaped literal. */
export const TOKEN = ['test', 'token', 'for', 'vigil', 'api', 'x'.repeat(8)].join('-');
export const SLACK_SECRET = ['slack', 'signing', 'secret', 'fixture'].join('-');

export function job(name: string, checkId = 'ports.unexpected-open'): ResolvedJob {
  return { name, target: name, checkId, enabled: true, timeoutMs: 60_000, overlap: 'skip', catchup: 'once', options: { hosts: ['127.0.0.1'] } };
}

export interface ApiHarness {
  readonly api: ApiServer;
  readonly db: Db;
  readonly recorded: RunResult[];
  /** Resolves once `n` results have been recorded. */
  waitForRecorded(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real API server on 127.0.0.1 (port 0) over a real SQLite ledger, with the in-process backend behind POST /v1/runs:
 * a triggered run really runs (a stand-in execute that reports ok) and is recorded, as in the daemon.
 */
export async function startHarness(dir: string, overrides: Record<string, unknown> = {}, extra: { queueReady?: () => Promise<void>; now?: () => number } = {}): Promise<ApiHarness> {
  const db = openStore(join(dir, 'ledger.db'));
  const recorded: RunResult[] = [];
  const backend = createInProcessBackend({
    lastSlot: () => undefined,
    log: silentLogger,
    execute: async (request) => ({
      runId: request.runId,
      checkId: request.checkId,
      targetId: request.targetId,
      trigger: request.trigger,
      outcome: 'ok',
      startedAt: Date.now(),
      finishedAt: Date.now(),
      coverage: { ok: [request.targetId], failed: [] },
      findings: [],
      cursorWrites: {},
    }),
  });
  const metrics = createMetrics({ db, processMetrics: false });
  backend.onResult((result) => {
    recordRun(db, result);
    metrics.observeResult(result);
    recorded.push(result);
  });
  const config: ApiConfig = apiSchema.parse({ enabled: true, port: 0, tokens: [{ name: 'ci', token: TOKEN }], slack: { signingSecret: SLACK_SECRET }, ...overrides });
  const api = await startApi({
    config,
    db,
    jobs: [job('lab'), job('edge')],
    knownCheck: (id) => registry.get(id) !== undefined,
    enqueue: (request) => backend.enqueue(request),
    queueReady: extra.queueReady ?? (async () => undefined),
    metrics,
    log: silentLogger,
    ...(extra.now ? { now: extra.now } : {}),
  });
  return {
    api,
    db,
    recorded,
    async waitForRecorded(n) {
      for (let i = 0; i < 200 && recorded.length < n; i += 1) await new Promise((r) => setTimeout(r, 10));
    },
    async close() {
      await api.close();
      await backend.close({ graceMs: 1_000 });
      db.close();
    },
  };
}
