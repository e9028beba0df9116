import { InvalidConfigError, describeError } from '../../check-api/errors.js';
import { cliLogger, loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

/** Sends one test message straight to a sink (not through the outbox) and reports whether the sink accepted it. */
export async function alertsTestCommand(sinkName: string, options: GlobalOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const names = [...Object.keys(loaded.config.sinks), ...(loaded.config.jira ? ['jira'] : [])];
  if (!names.includes(sinkName)) {
    throw new InvalidConfigError(names.length === 0 ? 'no sinks are configured (see sinks: in the config)' : `no sink named '${sinkName}'; configured: ${names.join(', ')}`);
  }
  const log = cliLogger(options, loaded);
  const db = openCliStore(options, loaded);
  const { createSinks } = await import('../../notify/index.js');
  const sinks = createSinks(loaded.config, db, log);
  const sink = sinks.get(sinkName)!;
  try {
    await sink.sendTest(AbortSignal.timeout(30_000));
    process.stdout.write(`test message accepted by ${sink.type} sink '${sinkName}'\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`audit: error: ${sink.type} sink '${sinkName}' did not accept the test message: ${describeError(error)}\n`);
    return 2;
  } finally {
    await Promise.allSettled([...sinks.values()].map((s) => s.close?.()));
    db.close();
  }
}
