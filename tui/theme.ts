import type { RunOutcome, Severity } from '../src/check-api/types.js';
import type { ShownStatus } from './data/finding-query.js';

/** An Ink colour name, or undefined for "terminal default" (always, under NO_COLOR). */
export type Color = string | undefined;

export interface Theme {
  readonly severity: Record<Severity, Color>;
  readonly status: Record<ShownStatus, Color>;
  readonly outcome: Record<RunOutcome, Color>;
  readonly accent: Color;
  readonly dim: Color;
  readonly error: Color;
  readonly ok: Color;
}

const COLOURS: Theme = {
  severity: { critical: 'magentaBright', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' },
  status: { new: 'greenBright', open: 'white', reopened: 'redBright', resolved: 'gray', accepted: 'blue', false_positive: 'gray', muted: 'gray' },
  outcome: { ok: 'green', partial: 'yellow', failed: 'red', timeout: 'red', aborted: 'magenta', skipped: 'gray' },
  accent: 'cyan',
  dim: 'gray',
  error: 'red',
  ok: 'green',
};

function strip<T extends object>(record: T): T {
  return Object.fromEntries(Object.keys(record).map((key) => [key, undefined])) as T;
}

/** https://no-color.org: any non-empty NO_COLOR turns every colour off; layout, bold and the cursor bar stay. */
export function createTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  if (!env.NO_COLOR) return COLOURS;
  return { severity: strip(COLOURS.severity), status: strip(COLOURS.status), outcome: strip(COLOURS.outcome), accent: undefined, dim: undefined, error: undefined, ok: undefined };
}

export const theme = createTheme();

export const STATUS_LABEL: Record<ShownStatus, string> = {
  new: 'new',
  open: 'open',
  reopened: 'reopened',
  resolved: 'resolved',
  accepted: 'accepted',
  false_positive: 'false pos.',
  muted: 'muted',
};
