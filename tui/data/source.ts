import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../../src/check-api/errors.js';
import type { Db } from '../../src/store/db.js';
import { setDecision, type DecisionRequest } from '../../src/store/decisions.js';
import { daemonAlive, insertRunRequest, readHeartbeat } from '../../src/store/run-requests.js';
import { checkList, type CheckListRow, type CheckMetaLite } from './checks.js';
import { findingDetail, type FindingDetail } from './finding-detail.js';
import { FindingsQueries } from './findings.js';
import { overview, type Overview } from './overview.js';
import { runCount, runPage, type RunListRow } from './runs.js';

export type RunNowResult = { readonly via: 'daemon'; readonly requestId: number } | { readonly via: 'child'; readonly pid: number | undefined };

/** Everything the screens read or write, behind one object, so components hold no SQL and tests can use a real file. */
export interface TuiData {
  /** Every check this build knows (titles for the check list); `audit tui` fills it in after the first frame. */
  readonly catalog: readonly CheckMetaLite[];
  setCatalog(catalog: readonly CheckMetaLite[]): void;
  /** Changes whenever anything a screen shows may have changed; cheap enough to call every second. */
  changeStamp(now: number): string;
  overview(now: number): Overview;
  checks(now: number): CheckListRow[];
  readonly findings: FindingsQueries;
  findingDetail(fingerprint: string): FindingDetail | undefined;
  runCount(): number;
  runPage(offset: number, limit: number): RunListRow[];
  decide(request: DecisionRequest): void;
  runNow(checkId: string, actor: string, reason: string): RunNowResult;
}

export interface TuiDataOptions {
  /** The checks known up front; tests and examples pass the fixture catalog, `audit tui` an empty one at first. */
  readonly catalog: readonly CheckMetaLite[];
  /** Passed to the child `audit run` when no daemon is alive. */
  readonly dbPath: string;
  readonly configPath?: string;
  /** Jira's base URL (config `jira.url`), for the ticket link on the finding detail. */
  readonly ticketBaseUrl?: string;
  /** Seam for tests: how a check runs when no daemon will pick the request up. */
  readonly spawnRun?: (args: readonly string[]) => number | undefined;
}

const AUDIT_BIN = fileURLToPath(new URL('../../../bin/audit.js', import.meta.url));

export function createTuiData(db: Db, options: TuiDataOptions): TuiData {
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((row) => row.name));
  const hasRequests = tables.has('run_requests') && tables.has('daemon_heartbeat');
  const findings = new FindingsQueries(db);
  const stampSql = db.prepare(
    `SELECT (SELECT max(rowid) FROM runs) AS runs, (SELECT max(id) FROM finding_events) AS events, (SELECT max(id) FROM decisions) AS decisions,
            (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending, (SELECT count(*) FROM outbox WHERE status = 'dead') AS dead,
            (SELECT max(updated_at) FROM schedule_state) AS schedules
            ${hasRequests ? ', (SELECT max(id) FROM run_requests) AS requests, (SELECT beat_at FROM daemon_heartbeat WHERE id = 1) AS beat' : ''}`,
  );
  let lastDataVersion: number | undefined;
  let lastStamp = '';
  let localWrites = 0;
  let catalog = options.catalog;
  const spawnRun =
    options.spawnRun ??
    ((args: readonly string[]) => {
      const child = spawn(process.execPath, [AUDIT_BIN, ...args], { detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.unref();
      return child.pid;
    });

  return {
    get catalog() {
      return catalog;
    },
    setCatalog(next) {
      catalog = next;
      // Counts as a change, so the next poll re-reads the check list with the new titles.
      localWrites += 1;
    },
    changeStamp(now) {
      // data_version moves only when another connection commits; our own writes bump localWrites.
      const dataVersion = db.pragma('data_version', { simple: true }) as number;
      if (dataVersion !== lastDataVersion) {
        lastDataVersion = dataVersion;
        const row = stampSql.get() as Record<string, unknown>;
        const beat = typeof row.beat === 'number' ? daemonAlive({ beatAt: row.beat } as never, now) : false;
        lastStamp = JSON.stringify({ ...row, beat });
      }
      return `${localWrites}:${lastStamp}`;
    },
    overview: (now) => overview(db, now),
    checks: (now) => checkList(db, catalog, now),
    findings,
    findingDetail: (fingerprint) => findingDetail(db, fingerprint, options.ticketBaseUrl ? { ticketBaseUrl: options.ticketBaseUrl } : {}),
    runCount: () => runCount(db),
    runPage: (offset, limit) => runPage(db, offset, limit),
    decide(request) {
      setDecision(db, request);
      localWrites += 1;
    },
    runNow(checkId, actor, reason) {
      if (reason.trim() === '') throw new StoreError('running a check now needs a reason');
      if (!hasRequests) throw new StoreError('this ledger predates run requests; open it once without --read-only to upgrade it');
      localWrites += 1;
      if (daemonAlive(readHeartbeat(db))) {
        return { via: 'daemon', requestId: insertRunRequest(db, { checkId, requestedBy: actor, reason }) };
      }
      const args = [...(options.configPath ? ['--config', options.configPath] : []), '--db', options.dbPath, 'run', checkId, '--fail-on', 'none', '--format', 'json'];
      const pid = spawnRun(args);
      insertRunRequest(db, { checkId, requestedBy: actor, reason, status: 'child', detail: `no daemon alive; ran in child process ${pid ?? '?'}` });
      return { via: 'child', pid };
    },
  };
}
