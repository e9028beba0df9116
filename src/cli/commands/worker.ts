import { InvalidConfigError } from '../../check-api/errors.js';
import { cliLogger, loadCliConfig, runServices, type GlobalOptions } from '../context.js';

export interface WorkerOptions extends GlobalOptions {
  readonly concurrency?: string;
}

/**
 * `audit worker`: takes runs from the BullMQ queue named by `queue` in the config and executes them; results go back
 * to the daemon over Redis. A worker never opens the ledger. SIGTERM/SIGINT drain: no new runs, running ones get
 * daemon.shutdownGrace to finish, then are aborted and reported as such.
 */
export async function workerCommand(options: WorkerOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const log = cliLogger(options, loaded);
  const queue = loaded.config.queue;
  if (queue.url === 'in-process') {
    throw new InvalidConfigError("audit worker needs a Redis queue: set queue: redis://host:6379 in the config (the default 'in-process' runs checks inside the daemon)");
  }
  const concurrency = options.concurrency !== undefined ? Number(options.concurrency) : queue.concurrency;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) {
    throw new InvalidConfigError(`--concurrency must be a whole number from 1 to 256, got '${options.concurrency}'`);
  }
  const [{ startRunWorker }, { executeRun }, { registry }, { CollectionMemo }] = await Promise.all([
    import('../../../jobs/bullmq/worker.js'),
    import('../../../jobs/runner.js'),
    import('../../../checks/registry.js'),
    import('../../../jobs/collection-memo.js'),
  ]);
  const services = runServices(loaded, options);
  const collectionMemo = new CollectionMemo();
  const worker = startRunWorker({
    redisUrl: queue.url,
    prefix: queue.prefix,
    concurrency,
    lockDurationMs: queue.lockDuration,
    log,
    execute: (request, cursors, signal) => executeRun(request, { checks: registry, log, services, collectionMemo, readCursors: () => cursors }, signal),
  });
  await worker.ready();
  log.info({ queue: redactUrl(queue.url), prefix: queue.prefix, concurrency, pid: process.pid }, 'worker started');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, graceMs: loaded.config.daemon.shutdownGrace }, 'worker draining: no new runs, waiting for running ones');
      worker.close(loaded.config.daemon.shutdownGrace).then(resolve, (error: unknown) => {
        log.error({ err: error }, 'error while draining');
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  log.info('worker stopped');
  return 0;
}

/** Never log a Redis password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
