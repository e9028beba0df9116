import { describe, expect, test } from 'vitest';
import { parseCommandLine } from '../../tui/command-line.js';
import { fit } from '../../tui/components/cells.js';
import { sparkline } from '../../tui/components/Sparkline.js';
import { moveWindow } from '../../tui/hooks/list-window.js';
import { splitTyped } from '../../tui/hooks/use-keys.js';
import { Command, KEYMAP, helpLines } from '../../tui/keymap.js';
import { parseUntil } from '../../tui/parse-until.js';
import { createTheme } from '../../tui/theme.js';

describe('list window', () => {
  test('scrolls just enough to keep the cursor visible', () => {
    let state = { cursor: 0, offset: 0 };
    state = moveWindow(state, 100, 10, { to: 'delta', by: 12 });
    expect(state).toEqual({ cursor: 12, offset: 3 });
    state = moveWindow(state, 100, 10, { to: 'delta', by: -5 });
    expect(state).toEqual({ cursor: 7, offset: 3 });
    state = moveWindow(state, 100, 10, { to: 'delta', by: -5 });
    expect(state).toEqual({ cursor: 2, offset: 2 });
    expect(moveWindow(state, 100, 10, { to: 'bottom' })).toEqual({ cursor: 99, offset: 90 });
    expect(moveWindow(state, 100, 10, { to: 'index', index: 500 })).toEqual({ cursor: 99, offset: 90 });
  });

  test('a shrinking list pulls cursor and offset back inside', () => {
    expect(moveWindow({ cursor: 80, offset: 75 }, 20, 10, { to: 'delta', by: 0 })).toEqual({ cursor: 19, offset: 10 });
    expect(moveWindow({ cursor: 5, offset: 3 }, 0, 10, { to: 'delta', by: 1 })).toEqual({ cursor: 0, offset: 0 });
  });
});

describe('keys that arrive together', () => {
  const plain = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
  test('plain text splits into one key per character, Enter and backspace as Ink reports them', () => {
    const keys = splitTyped('/a\rB\u007F\u0015', plain as never);
    expect(keys.map((k) => k.input)).toEqual(['/', 'a', '', 'B', '', 'u']);
    expect(keys.map((k) => [k.key.return, k.key.shift, k.key.delete, k.key.ctrl])).toEqual([
      [false, false, false, false],
      [false, false, false, false],
      [true, false, false, false],
      [false, true, false, false],
      [false, false, true, false],
      [false, false, false, true],
    ]);
  });
  test('one key, ctrl and meta chords stay as they came', () => {
    expect(splitTyped('q', plain as never)).toEqual([{ input: 'q', key: plain }]);
    expect(splitTyped('uv', { ...plain, ctrl: true } as never)).toHaveLength(1);
    expect(splitTyped('xy', { ...plain, meta: true } as never)).toHaveLength(1);
  });
});

describe('command mode', () => {
  test('views by name, alias and unambiguous prefix; findings take a filter', () => {
    expect(parseCommandLine('checks')).toEqual({ ok: true, route: { screen: 'checks' } });
    expect(parseCommandLine('ov')).toEqual({ ok: true, route: { screen: 'overview' } });
    expect(parseCommandLine('ru')).toEqual({ ok: true, route: { screen: 'runs' } });
    expect(parseCommandLine('f sev:high check:aws.*')).toEqual({ ok: true, route: { screen: 'findings', query: 'sev:high check:aws.*' } });
    expect(parseCommandLine('findings')).toEqual({ ok: true, route: { screen: 'findings', query: 'status:active' } });
    expect(parseCommandLine('q')).toEqual({ ok: true, quit: true });
  });

  test('unknown, ambiguous and misused commands explain themselves', () => {
    expect(parseCommandLine('pods')).toEqual({ ok: false, error: "unknown view 'pods'" });
    expect(parseCommandLine('')).toMatchObject({ ok: false });
    expect(parseCommandLine('runs extra')).toEqual({ ok: false, error: ':runs takes no arguments' });
  });
});

describe('keymap and help', () => {
  test('help lists every command with its keys, and marks writes under --read-only', () => {
    const lines = helpLines(true);
    expect(lines).toHaveLength(Object.keys(Command).length);
    expect(lines.find((line) => line.keys === 'f')?.description).toBe('mark false positive (asks why) [disabled: --read-only]');
    expect(helpLines(false).find((line) => line.keys === 'f')?.description).toBe('mark false positive (asks why)');
  });

  test('no key means two things on one screen', () => {
    const seen = new Map<string, Command>();
    for (const [command, binding] of Object.entries(KEYMAP) as [Command, (typeof KEYMAP)[Command]][]) {
      const screens = binding.screens === 'all' ? ['overview', 'checks', 'findings', 'finding', 'runs', 'help'] : binding.screens;
      for (const key of binding.keys) {
        for (const screen of screens) {
          const clash = seen.get(`${screen}:${key}`);
          expect(clash, `${key} on ${screen}: ${clash} and ${command}`).toBeUndefined();
          seen.set(`${screen}:${key}`, command);
        }
      }
    }
  });
});

describe('small helpers', () => {
  const now = Date.UTC(2026, 10, 23);
  test('accept-until dates', () => {
    expect(parseUntil('30d', now)).toEqual({ ok: true, at: now + 30 * 86_400_000 });
    expect(parseUntil('2027-03-31', now)).toEqual({ ok: true, at: Date.UTC(2027, 2, 31, 23, 59, 59) });
    expect(parseUntil('2020-01-01', now)).toEqual({ ok: false, error: 'the date must be in the future' });
    expect(parseUntil('soon', now)).toMatchObject({ ok: false });
  });

  test('cells fit, sparkline scales, NO_COLOR strips every colour', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(sparkline([0, 5, 10])).toBe('▁▄█');
    expect(sparkline([3, 3])).toBe('▁▁');
    const plain = createTheme({ NO_COLOR: '1' });
    expect(Object.values(plain.severity).every((color) => color === undefined)).toBe(true);
    expect(plain.accent).toBeUndefined();
    expect(createTheme({}).severity.critical).toBeDefined();
  });
});
