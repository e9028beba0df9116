import { existsSync } from 'node:fs';
import { InvalidConfigError } from '../check-api/errors.js';
import { defaultConfig, loadConfigFile, type LoadedConfig } from '../config/load.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../log.js';
import { createHostResolver } from '../net/resolve-host.js';
import { openStore, type Db } from '../store/db.js';
import { ledgerFileBaselineReader } from '../store/killswitch-baselines.js';
import { registry } from '../../checks/registry.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly db?: string;
  readonly logLevel?: string;
}

/** Config from `--config`, else VIGIL_CONFIG, else built-in defaults. Invalid config throws before any store is opened. */
export function loadCliConfig(options: GlobalOptions, explicitPath?: string): LoadedConfig {
  const path = explicitPath ?? options.config ?? process.env.VIGIL_CONFIG;
  if (!path) return defaultConfig();
  if (!existsSync(path)) throw new InvalidConfigError(`config file ${path} does not exist`);
  return loadConfigFile(path, registry);
}

export function cliLogger(options: GlobalOptions, loaded: LoadedConfig): Logger {
  const level = options.logLevel ?? loaded.config.log.level;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return createLogger(level as LogLevel);
}

export function storePath(options: GlobalOptions, loaded: LoadedConfig): string {
  return options.db ?? process.env.VIGIL_DB ?? loaded.config.store.path;
}

export function openCliStore(options: GlobalOptions, loaded: LoadedConfig, mode: { readonly?: boolean } = {}): Db {
  const path = storePath(options, loaded);
  // A read-only command against a ledger that does not exist yet has nothing to read: open (and create) it normally.
  return openStore(path, { readonly: Boolean(mode.readonly) && existsSync(path) });
}

/**
 * Services every check run gets. `killswitchBaselines` reads approved kill-switch baselines from the ledger file,
 * opened read-only on first use (so a BullMQ worker on the ledger's host sees them too).
 */
export function runServices(loaded: LoadedConfig, options: GlobalOptions = {}): Record<string, unknown> {
  const ledger = storePath(options, loaded);
  // ledgerPath: where checks that keep their own state in the ledger (the deps inventory) find it unless told otherwise.
  return { resolveHost: createHostResolver(loaded.config.network.dnsServers), killswitchBaselines: ledgerFileBaselineReader(ledger), ledgerPath: ledger };
}
