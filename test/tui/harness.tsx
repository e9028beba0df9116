import { render } from 'ink-testing-library';
import { join } from 'node:path';
import stripAnsi from 'strip-ansi';
import { openStore, type Db } from '../../src/store/db.js';
import { App, type AppProps } from '../../tui/app.js';
import { createTuiData, type TuiData } from '../../tui/data/source.js';
import { FIXTURE_CATALOG, FIXTURE_NOW, seedSmallPosture } from '../../tui/examples/fixture.js';

export interface Harness {
  readonly db: Db;
  readonly data: TuiData;
  readonly spawned: (readonly string[])[];
  readonly app: ReturnType<typeof render>;
  /** The last frame without ANSI codes and without trailing spaces on each line. */
  frame(): string;
  /** Types keys one at a time, letting React and Ink settle after each. */
  press(...keys: string[]): Promise<void>;
}

export const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', esc: '\u001B', pageDown: '\u001B[6~', backspace: '\u007F' } as const;

export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A real ledger file seeded through the recorder, rendered by the real App at a fixed terminal size. */
export async function renderApp(dir: string, props: Partial<AppProps> = {}, options: { seed?: (db: Db) => void } = {}): Promise<Harness> {
  const db = openStore(join(dir, 'ledger.db'));
  (options.seed ?? ((d: Db) => seedSmallPosture(d)))(db);
  const spawned: (readonly string[])[] = [];
  const data = createTuiData(db, { catalog: FIXTURE_CATALOG, dbPath: join(dir, 'ledger.db'), spawnRun: (args) => (spawned.push(args), 4242) });
  const app = render(<App data={data} actor="tester" readOnly={false} now={() => FIXTURE_NOW} size={{ columns: 100, rows: 24 }} pollMs={0} {...props} />);
  await tick(20);
  const frame = () =>
    stripAnsi(app.lastFrame() ?? '')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      const before = app.frames.length;
      app.stdin.write(key);
      // Wait for the frame this key causes (a lone Esc is held back by Ink's parser until it is sure no sequence
      // follows, longer on a loaded machine), then a little more for follow-up renders. Keys that change nothing give up after 400 ms.
      const deadline = Date.now() + 400;
      while (app.frames.length === before && Date.now() < deadline) await tick(5);
      await tick(20);
    }
  };
  return { db, data, spawned, app, frame, press };
}
