import { cliLogger, loadCliConfig, openCliStore, runServices, type GlobalOptions } from '../context.js';

/** Runs until SIGTERM or SIGINT, then drains and exits 0. */
export async function daemonCommand(options: GlobalOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const log = cliLogger(options, loaded);
  const db = openCliStore(options, loaded);
  // Loaded on demand: one-shot commands should not pay for the scheduler's imports.
  const { startDaemon } = await import('../../daemon/main.js');
  const daemon = await startDaemon(loaded, db, log, runServices(loaded, options));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, graceMs: loaded.config.daemon.shutdownGrace }, 'shutting down: no new ticks, waiting for running checks');
      daemon.stop().then(resolve, (error) => {
        log.error({ err: error }, 'error while draining');
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  db.close();
  log.info('daemon stopped');
  return 0;
}
