import type { Key } from 'ink';
import type { ScreenName } from './routes.js';

/** Every key the TUI answers to. The help screen is generated from KEYMAP, so a key cannot exist undocumented. */
export enum Command {
  Up = 'up',
  Down = 'down',
  PageUp = 'page-up',
  PageDown = 'page-down',
  Top = 'top',
  Bottom = 'bottom',
  Open = 'open',
  Back = 'back',
  Quit = 'quit',
  Filter = 'filter',
  CommandMode = 'command-mode',
  Help = 'help',
  Sort = 'sort',
  FalsePositive = 'false-positive',
  Accept = 'accept',
  Mute = 'mute',
  Undo = 'undo',
  RunNow = 'run-now',
}

export interface Binding {
  readonly keys: readonly string[];
  readonly description: string;
  /** Screens where the key does something; 'all' for global keys. */
  readonly screens: readonly ScreenName[] | 'all';
  /** Changes the ledger: refused under --read-only. */
  readonly writes?: boolean;
}

const LISTS: readonly ScreenName[] = ['checks', 'findings', 'runs', 'finding', 'help'];
const FINDING_ACTIONS: readonly ScreenName[] = ['findings', 'finding'];

export const KEYMAP: Record<Command, Binding> = {
  [Command.Up]: { keys: ['up', 'k'], description: 'move up', screens: LISTS },
  [Command.Down]: { keys: ['down', 'j'], description: 'move down', screens: LISTS },
  [Command.PageUp]: { keys: ['pageup', 'ctrl+b'], description: 'page up', screens: LISTS },
  [Command.PageDown]: { keys: ['pagedown', 'ctrl+f', 'space'], description: 'page down', screens: LISTS },
  [Command.Top]: { keys: ['home', 'g'], description: 'first row', screens: LISTS },
  [Command.Bottom]: { keys: ['end', 'G'], description: 'last row', screens: LISTS },
  [Command.Open]: { keys: ['enter'], description: 'open: check → its findings, finding → detail', screens: ['checks', 'findings'] },
  [Command.Back]: { keys: ['esc'], description: 'back (or cancel the current prompt)', screens: 'all' },
  [Command.Quit]: { keys: ['q'], description: 'back; quit from the overview', screens: 'all' },
  [Command.Filter]: { keys: ['/'], description: 'filter: sev:high status:open check:aws.* text, -term negates', screens: ['findings'] },
  [Command.CommandMode]: { keys: [':'], description: 'command: :overview :checks :findings [filter] :runs :help :quit', screens: 'all' },
  [Command.Help]: { keys: ['?'], description: 'this help', screens: 'all' },
  [Command.Sort]: { keys: ['s'], description: 'sort by severity → age → check', screens: ['findings'] },
  [Command.FalsePositive]: { keys: ['f'], description: 'mark false positive (asks why)', screens: FINDING_ACTIONS, writes: true },
  [Command.Accept]: { keys: ['a'], description: 'accept the risk until a date (asks until when, and why)', screens: FINDING_ACTIONS, writes: true },
  [Command.Mute]: { keys: ['m'], description: 'mute alerts (asks why)', screens: FINDING_ACTIONS, writes: true },
  [Command.Undo]: { keys: ['u'], description: 'undo: clear the decision (asks why)', screens: FINDING_ACTIONS, writes: true },
  [Command.RunNow]: { keys: ['r'], description: "run the check now, through the daemon if it is up (asks why)", screens: ['checks', 'findings', 'finding'], writes: true },
};

/** Ink's (input, key) as the key name KEYMAP uses. */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.ctrl && input) return `ctrl+${input}`;
  if (input === ' ') return 'space';
  return input;
}

const BY_KEY = new Map<string, Command[]>();
for (const [command, binding] of Object.entries(KEYMAP) as [Command, Binding][]) {
  for (const key of binding.keys) BY_KEY.set(key, [...(BY_KEY.get(key) ?? []), command]);
}

/** The command a key means on this screen, if any. */
export function commandFor(input: string, key: Key, screen: ScreenName): Command | undefined {
  return BY_KEY.get(keyName(input, key))?.find((command) => {
    const screens = KEYMAP[command].screens;
    return screens === 'all' || screens.includes(screen);
  });
}

export interface HelpLine {
  readonly keys: string;
  readonly description: string;
  readonly where: string;
}

export function helpLines(readOnly: boolean): HelpLine[] {
  return (Object.values(KEYMAP) as Binding[]).map((binding) => ({
    keys: binding.keys.join(' '),
    description: binding.writes && readOnly ? `${binding.description} [disabled: --read-only]` : binding.description,
    where: binding.screens === 'all' ? 'everywhere' : binding.screens.filter((s) => s !== 'help').join(', '),
  }));
}
