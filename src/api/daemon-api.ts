import type { LoadedConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { createMetrics } from '../metrics/metrics.js';
import type { Db } from '../store/db.js';
import type { RunBackend } from '../../jobs/backend.js';
import type { CreatedBackend } from '../../jobs/create-backend.js';
import { registry } from '../../checks/registry.js';
import { startApi, type ApiServer } from './server.js';

/**
 * The daemon's HTTP side (api.enabled): Prometheus metrics fed from every recorded result, and the API server over
 * the daemon's own ledger and backend. Returns undefined when the API is off, so nothing listens by default.
 */
export async function startDaemonApi(deps: {
  loaded: LoadedConfig;
  db: Db;
  log: Logger;
  backend: RunBackend;
  queueCounts: CreatedBackend['queueCounts'];
}): Promise<ApiServer | undefined> {
  const { loaded, db, log, backend } = deps;
  if (!loaded.config.api.enabled) return undefined;
  const metrics = createMetrics({ db, ...(deps.queueCounts ? { queueCounts: deps.queueCounts } : {}) });
  backend.onResult((result) => metrics.observeResult(result));
  return startApi({
    config: loaded.config.api,
    db,
    jobs: loaded.jobs,
    knownCheck: (id) => registry.get(id) !== undefined,
    enqueue: (request) => backend.enqueue(request),
    queueReady: async () => {
      await deps.queueCounts?.();
    },
    metrics,
    log: log.child({ component: 'api' }),
  });
}
