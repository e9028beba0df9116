import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { useState, useEffect } from 'react';
import { describe, expect, test } from 'vitest';
import { inkLineCacheStatus, shareInkLineCache, sharedStyledChars } from '../../tui/ink-line-cache.js';
import { tick } from './harness.js';

/** A list whose cursor moves: every frame but the two changed rows repeats lines of the frame before. */
function MovingCursor({ steps }: { readonly steps: number }) {
  const [cursor, setCursor] = useState(0);
  useEffect(() => {
    if (cursor >= steps) return;
    const timer = setTimeout(() => setCursor(cursor + 1), 5);
    return () => clearTimeout(timer);
  }, [cursor, steps]);
  return (
    <Box flexDirection="column">
      {Array.from({ length: 6 }, (_, i) => (
        <Text key={i} color={i % 2 ? 'red' : 'cyan'} inverse={i === cursor}>
          row {i} {'x'.repeat(i)}
        </Text>
      ))}
    </Box>
  );
}

describe('Ink line cache shared across frames', () => {
  test('the ASCII fast path builds exactly what the library builds, colour codes included', async () => {
    expect(await shareInkLineCache()).toBe(true);
    const { styledCharsFromTokens, tokenize } = (await import('@alcalzone/ansi-tokenize' as string)) as {
      tokenize(text: string): unknown[];
      styledCharsFromTokens(tokens: unknown[]): unknown;
    };
    const lines = ['plain row 1', '\u001B[31mred\u001B[39m and \u001B[1;7mbold inverse\u001B[22;27m', '\u001B[38;5;208mx\u001B[0m y', 'wide: 漢字 stays on the slow path'];
    for (const line of lines) expect(JSON.stringify(sharedStyledChars(line))).toBe(JSON.stringify(styledCharsFromTokens(tokenize(line))));
    expect(inkLineCacheStatus().asciiFastPath).not.toBe('distrusted');
  });

  test('is installed on the Ink version this project pins, and frames stay exactly what Ink draws without it', async () => {
    const before = render(<MovingCursor steps={4} />);
    await tick(150);
    const unshared = [...before.frames];
    before.unmount();

    // Fails loudly if an Ink upgrade moved build/output.js: the TUI would still work, only slower (bench/tui.js).
    expect(await shareInkLineCache()).toBe(true);
    expect(await shareInkLineCache()).toBe(true);

    const after = render(<MovingCursor steps={4} />);
    await tick(150);
    expect(after.frames.at(-1)).toBe(unshared.at(-1));
    expect(after.frames.length).toBeGreaterThan(2);
    // The ASCII fast path built these lines and matched the library's tokenizer on every one it was checked against.
    expect(inkLineCacheStatus().shared).toBe(true);
    expect(['checking', 'trusted']).toContain(inkLineCacheStatus().asciiFastPath);
    expect(new Set(after.frames)).toEqual(new Set(unshared));
    after.unmount();
  });
});
