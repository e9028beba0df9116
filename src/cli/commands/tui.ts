import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { InvalidConfigError } from '../../check-api/errors.js';
import type { AnyCheck } from '../../check-api/types.js';
import { defaultConfig, loadConfigFile, type CheckLookup } from '../../config/load.js';
import { openStore } from '../../store/db.js';
import type { GlobalOptions } from '../context.js';

export interface TuiCommandOptions extends GlobalOptions {
  readonly readOnly?: boolean;
}

/** Switches to the terminal's alternate screen so the TUI never scrolls or wipes the user's shell history. */
const ALT_SCREEN_ON = '\u001B[?1049h\u001B[H';
const ALT_SCREEN_OFF = '\u001B[?1049l';

/**
 * Accepts every job's check and options. The TUI reads the config only for the ledger path (and hands the file to the
 * child `audit run`, which validates jobs against the real checks); validating jobs here would import every check
 * module, and with them the cloud SDKs: seconds before the first frame on a loaded machine.
 */
const JOBS_NOT_VALIDATED: CheckLookup = {
  get: (id) => ({ id, options: { safeParse: (value: unknown) => ({ success: true, data: value }) } }) as unknown as AnyCheck,
};

/** `audit tui`: browse posture in the terminal. Reads the ledger the daemon writes; writes only people's decisions. */
export async function tuiCommand(options: TuiCommandOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new InvalidConfigError('audit tui needs an interactive terminal (use `audit findings` or `audit export` in scripts)');
  }
  const configPath = options.config || process.env.VIGIL_CONFIG || undefined;
  const settings = tuiSettings(options, configPath);
  const path = resolve(settings.storePath);
  if (options.readOnly && !existsSync(path)) throw new InvalidConfigError(`no ledger at ${path} to browse read-only; run a check or the daemon first`);
  const db = openStore(path, { readonly: Boolean(options.readOnly) });
  // React's development build checks every element and roughly doubles render time; nothing else in the CLI uses React.
  // Set before anything imports React: React and Ink's reconciler must load the same build, or nothing renders.
  process.env.NODE_ENV ??= 'production';
  // Ink draws nothing until exit when it believes it runs in CI (is-in-ci reads CI when ink is imported). We checked
  // for a TTY above: a person is looking, and a CI=true inherited from a shell profile or a runner must not blank it.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ createElement }, { render }, { App }, { createTuiData }, { shareInkLineCache }] = await Promise.all([
    import('react'),
    import('ink'),
    import('../../../tui/app.js'),
    import('../../../tui/data/source.js'),
    import('../../../tui/ink-line-cache.js'),
  ]);
  await shareInkLineCache();
  const data = createTuiData(db, {
    catalog: [],
    dbPath: path,
    ...(configPath ? { configPath: resolve(configPath) } : {}),
    ...(settings.jiraUrl ? { ticketBaseUrl: settings.jiraUrl } : {}),
  });
  const held = holdStderr();
  process.stdout.write(ALT_SCREEN_ON);
  try {
    const instance = render(createElement(App, { data, actor: userInfo().username, readOnly: Boolean(options.readOnly) }), { exitOnCtrlC: true, patchConsole: false });
    // The check list (titles of checks that never ran) comes from the registry, which imports every check module:
    // loaded after the first frame, so it never delays it.
    setTimeout(() => {
      void import('../../../checks/registry.js').then(
        ({ registry }) => data.setCatalog(registry.all.map((check) => ({ id: check.id, title: check.title, area: check.area, severity: check.severity }))),
        (error: unknown) => held.note(`could not load the check registry: ${format(error)}`),
      );
    }, 0);
    await instance.waitUntilExit();
  } finally {
    process.stdout.write(ALT_SCREEN_OFF);
    held.release();
    db.close();
  }
  return 0;
}

/** The ledger path (--db, $VIGIL_DB, else config) and Jira's base URL for ticket links; no config means defaults. */
function tuiSettings(options: TuiCommandOptions, configPath: string | undefined): { storePath: string; jiraUrl?: string } {
  if (configPath && !existsSync(configPath)) throw new InvalidConfigError(`config file ${configPath} does not exist`);
  const { config } = configPath ? loadConfigFile(configPath, JOBS_NOT_VALIDATED) : defaultConfig();
  return { storePath: options.db ?? process.env.VIGIL_DB ?? config.store.path, ...(config.jira ? { jiraUrl: config.jira.url } : {}) };
}

/**
 * While the TUI owns the terminal, anything written to stderr (a library's console.warn, a process warning such as an
 * SDK's deprecation notice) would land in the middle of the frame. Keep it, and print it after the terminal is back.
 */
function holdStderr(): { note(line: string): void; release(): void } {
  const lines: string[] = [];
  const warningListeners = process.listeners('warning');
  const consoleWrites = { warn: console.warn, error: console.error, log: console.log, info: console.info, debug: console.debug };
  process.removeAllListeners('warning');
  const onWarning = (warning: Error) => lines.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  for (const name of Object.keys(consoleWrites) as (keyof typeof consoleWrites)[]) console[name] = (...args: unknown[]) => void lines.push(format(...args));
  return {
    note: (line) => lines.push(line),
    release() {
      Object.assign(console, consoleWrites);
      process.off('warning', onWarning);
      for (const listener of warningListeners) process.on('warning', listener);
      for (const line of lines) process.stderr.write(`audit tui: ${line}\n`);
    },
  };
}
