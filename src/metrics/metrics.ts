import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SEVERITIES } from '../check-api/types.js';
import type { RunResult } from '../runs/run-result.js';
import type { Db } from '../store/db.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface MetricsDeps {
  readonly db: Db;
  /** Jobs by state on the BullMQ runs queue (absent with the in-process backend). */
  readonly queueCounts?: () => Promise<QueueCounts>;
  /** Process metrics (CPU, memory, event loop lag); off in tests that want a small registry. */
  readonly processMetrics?: boolean;
}

export interface VigilMetrics {
  readonly registry: Registry;
  /** Feed every result the daemon records (RunBackend.onResult). */
  observeResult(result: RunResult): void;
}

/** Scheduled runs start seconds late on a loaded box; the buckets reach an hour for a queue that waited on workers. */
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600];
const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600];

/**
 * Prometheus metrics for Grafana (deploy/grafana/vigil.json). Run metrics are counted as results are recorded; ledger
 * state (open findings, outbox) is read from SQLite at scrape time, so it is right after a restart and needs no
 * bookkeeping. Label values are check ids, areas, severities, outcomes: bounded sets, never resource ids.
 */
export function createMetrics(deps: MetricsDeps): VigilMetrics {
  const registry = new Registry();
  if (deps.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'vigil_' });

  const runs = new Counter({ name: 'vigil_runs_total', help: 'Recorded runs by check and outcome (skipped ticks excluded)', labelNames: ['check', 'outcome', 'trigger'], registers: [registry] });
  const duration = new Histogram({ name: 'vigil_run_duration_seconds', help: 'Run duration by check', labelNames: ['check'], buckets: DURATION_BUCKETS, registers: [registry] });
  const lag = new Histogram({ name: 'vigil_schedule_lag_seconds', help: 'Scheduled slot to run start', labelNames: ['check'], buckets: LAG_BUCKETS, registers: [registry] });
  const skipped = new Counter({ name: 'vigil_skipped_ticks_total', help: 'Scheduled ticks that did not run, by reason (missed, overlap)', labelNames: ['check', 'reason'], registers: [registry] });

  const db = deps.db;
  new Gauge({
    name: 'vigil_open_findings',
    help: 'Active findings (new, open, reopened) by severity and area',
    labelNames: ['severity', 'area'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = db
        .prepare(
          `SELECT severity, CASE WHEN instr(check_id, '.') > 0 THEN substr(check_id, 1, instr(check_id, '.') - 1) ELSE check_id END AS area, count(*) AS n
           FROM findings WHERE status IN ('new', 'open', 'reopened') GROUP BY 1, 2`,
        )
        .all() as { severity: string; area: string; n: number }[];
      for (const severity of SEVERITIES) this.set({ severity, area: 'all' }, 0);
      const totals = new Map<string, number>();
      for (const row of rows) {
        this.set({ severity: row.severity, area: row.area }, row.n);
        totals.set(row.severity, (totals.get(row.severity) ?? 0) + row.n);
      }
      for (const [severity, n] of totals) this.set({ severity, area: 'all' }, n);
    },
  });
  new Gauge({
    name: 'vigil_outbox_rows',
    help: 'Outbox rows by status: pending is the alert/ticket backlog, dead the dead letters',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const counts = { pending: 0, delivered: 0, dead: 0 } as Record<string, number>;
      for (const row of db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`).all() as { status: string; n: number }[]) counts[row.status] = row.n;
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'vigil_outbox_oldest_pending_seconds',
    help: 'Age of the oldest undelivered outbox row (0 when none): how far alerts are behind',
    registers: [registry],
    collect() {
      const row = db.prepare(`SELECT min(created_at) AS oldest FROM outbox WHERE status = 'pending'`).get() as { oldest: number | null };
      this.set(row.oldest === null ? 0 : Math.max(0, (Date.now() - row.oldest) / 1000));
    },
  });
  if (hasTable(db, 'notify_deliveries')) {
    new Gauge({
      name: 'vigil_deliveries',
      help: 'Per-sink deliveries (alerts and ticket sync) by status; status="erroring" is pending after a failed attempt',
      labelNames: ['sink', 'status'],
      registers: [registry],
      collect() {
        this.reset();
        const rows = db
          .prepare(
            `SELECT sink, CASE WHEN status = 'pending' AND last_error IS NOT NULL THEN 'erroring' ELSE status END AS status, count(*) AS n
             FROM notify_deliveries WHERE status != 'delivered' GROUP BY 1, 2`,
          )
          .all() as { sink: string; status: string; n: number }[];
        for (const row of rows) this.set({ sink: row.sink, status: row.status }, row.n);
      },
    });
  }
  if (deps.queueCounts) {
    const queueCounts = deps.queueCounts;
    new Gauge({
      name: 'vigil_queue_jobs',
      help: 'Runs on the BullMQ queue by state (waiting means no worker has taken them yet)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = await queueCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
  }

  return {
    registry,
    observeResult(result: RunResult): void {
      if (result.outcome === 'skipped') {
        skipped.inc({ check: result.checkId, reason: result.skipReason ?? 'unknown' }, result.skipCount ?? 1);
        return;
      }
      runs.inc({ check: result.checkId, outcome: result.outcome, trigger: result.trigger });
      duration.observe({ check: result.checkId }, Math.max(0, result.finishedAt - result.startedAt) / 1000);
      if (result.slot !== undefined && result.outcome !== 'aborted') lag.observe({ check: result.checkId }, Math.max(0, result.startedAt - result.slot) / 1000);
    },
  };
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}
