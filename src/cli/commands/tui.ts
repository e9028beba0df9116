import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { createElement } from 'react';
import { InvalidConfigError } from '../../check-api/errors.js';
import { openStore } from '../../store/db.js';
import { loadCliConfig, storePath, type GlobalOptions } from '../context.js';

export interface TuiCommandOptions extends GlobalOptions {
  readonly readOnly?: boolean;
}

/** Switches to the terminal's alternate screen so the TUI never scrolls or wipes the user's shell history. */
const ALT_SCREEN_ON = '\u001B[?1049h\u001B[H';
const ALT_SCREEN_OFF = '\u001B[?1049l';

/** `audit tui`: browse posture in the terminal. Reads the ledger the daemon writes; writes only people's decisions. */
export async function tuiCommand(options: TuiCommandOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new InvalidConfigError('audit tui needs an interactive terminal (use `audit findings` or `audit export` in scripts)');
  }
  const loaded = loadCliConfig(options);
  const path = resolve(storePath(options, loaded));
  if (options.readOnly && !existsSync(path)) throw new InvalidConfigError(`no ledger at ${path} to browse read-only; run a check or the daemon first`);
  const db = openStore(path, { readonly: Boolean(options.readOnly) });
  // React's development build checks every element and roughly doubles render time; nothing else in the CLI uses React.
  process.env.NODE_ENV ??= 'production';
  // Ink draws nothing until exit when it believes it runs in CI (is-in-ci reads CI when ink is imported). We checked
  // for a TTY above: a person is looking, and a CI=true inherited from a shell profile or a runner must not blank it.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ render }, { App }, { createTuiData }, { registry }] = await Promise.all([
    import('ink'),
    import('../../../tui/app.js'),
    import('../../../tui/data/source.js'),
    import('../../../checks/registry.js'),
  ]);
  const catalog = registry.all.map((check) => ({ id: check.id, title: check.title, area: check.area, severity: check.severity }));
  const configPath = options.config ?? process.env.VIGIL_CONFIG;
  const data = createTuiData(db, { catalog, dbPath: path, ...(configPath ? { configPath: resolve(configPath) } : {}) });
  process.stdout.write(ALT_SCREEN_ON);
  try {
    const instance = render(createElement(App, { data, actor: userInfo().username, readOnly: Boolean(options.readOnly) }), { exitOnCtrlC: true, patchConsole: false });
    await instance.waitUntilExit();
  } finally {
    process.stdout.write(ALT_SCREEN_OFF);
    db.close();
  }
  return 0;
}
