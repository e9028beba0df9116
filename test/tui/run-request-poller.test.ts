import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResolvedJob } from '../../src/config/load.js';
import { startRunRequestPoller } from '../../src/daemon/run-request-poller.js';
import { createLogger } from '../../src/log.js';
import type { RunRequest } from '../../src/runs/run-result.js';
import { openStore } from '../../src/store/db.js';
import { daemonAlive, listRunRequests, readHeartbeat } from '../../src/store/run-requests.js';
import { createTuiData } from '../../tui/data/source.js';
import { FIXTURE_CATALOG } from '../../tui/examples/fixture.js';
import { useTempDir } from '../builders/temp-dir.js';

const tempDir = useTempDir('vigil-tui-poller-');

function job(name: string, checkId: string, enabled = true): ResolvedJob {
  return { name, target: name, checkId, enabled, timeoutMs: 60_000, overlap: 'skip', catchup: 'once', options: { hosts: [name] } };
}

describe('run requests reach a running daemon', () => {
  test('a TUI request becomes one run per enabled job; a check without a job is rejected with a reason', async () => {
    const path = join(tempDir(), 'ledger.db');
    const daemonDb = openStore(path);
    const tuiDb = openStore(path);
    const enqueued: RunRequest[] = [];
    const poller = startRunRequestPoller({
      db: daemonDb,
      jobs: [job('lab', 'ports.unexpected-open'), job('dmz', 'ports.unexpected-open'), job('old', 'ports.unexpected-open', false)],
      enqueue: async (request) => {
        enqueued.push(request);
      },
      log: createLogger('silent'),
      intervalMs: 60_000,
    });
    try {
      // The poller's first beat makes the daemon visible to the TUI, which then queues instead of spawning.
      expect(daemonAlive(readHeartbeat(tuiDb))).toBe(true);
      const spawned: unknown[] = [];
      const data = createTuiData(tuiDb, { catalog: FIXTURE_CATALOG, dbPath: path, spawnRun: (args) => (spawned.push(args), 1) });
      expect(data.runNow('ports.unexpected-open', 'alice', 'after the firewall change')).toMatchObject({ via: 'daemon' });
      expect(data.runNow('dns.dangling-cname', 'alice', 'zone moved')).toMatchObject({ via: 'daemon' });
      expect(spawned).toEqual([]);

      poller.pollOnce();
      expect(enqueued.map((r) => [r.checkId, r.targetId, r.trigger])).toEqual([
        ['ports.unexpected-open', 'lab', 'tui'],
        ['ports.unexpected-open', 'dmz', 'tui'],
      ]);
      expect(enqueued[0]!.options).toEqual({ hosts: ['lab'] });
      expect(listRunRequests(tuiDb).map((r) => [r.checkId, r.requestedBy, r.status, r.detail])).toEqual([
        ['dns.dangling-cname', 'alice', 'rejected', "no enabled job runs dns.dangling-cname in the daemon's config"],
        ['ports.unexpected-open', 'alice', 'dispatched', 'queued lab, dmz'],
      ]);
      // Handled requests are not dispatched twice.
      poller.pollOnce();
      expect(enqueued).toHaveLength(2);
    } finally {
      poller.stop();
      daemonDb.close();
      tuiDb.close();
    }
  });

  test('a stale heartbeat counts as no daemon', () => {
    expect(daemonAlive(undefined)).toBe(false);
    expect(daemonAlive({ pid: 1, host: 'h', startedAt: 0, beatAt: 1_000 }, 5_000)).toBe(true);
    expect(daemonAlive({ pid: 1, host: 'h', startedAt: 0, beatAt: 1_000 }, 20_000)).toBe(false);
  });
});
