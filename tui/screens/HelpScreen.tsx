import { Box } from 'ink';
import { ScrollLines, type Line } from '../components/ScrollLines.js';
import { fit } from '../components/cells.js';
import { listMoveFor } from '../hooks/list-window.js';
import { useListWindow } from '../hooks/use-list-window.js';
import { useTui } from '../hooks/use-tui.js';
import { commandFor, helpLines } from '../keymap.js';
import type { ScreenProps } from '../routes.js';
import { theme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

/** Generated from KEYMAP: a key that is not in the keymap does not exist. */
export function HelpScreen({ height, width, active }: ScreenProps) {
  const { readOnly } = useTui();
  const lines: Line[] = [
    { text: `${fit('KEYS', 16)} ${fit('WHERE', 24)} WHAT`, bold: true, color: theme.accent },
    ...helpLines(readOnly).map((line) => ({ text: `${fit(line.keys, 16)} ${fit(line.where, 24)} ${line.description}` })),
    { text: '' },
    { text: 'Filter language', bold: true, color: theme.accent },
    { text: '  sev:high  sev:high,critical  sev:>=medium   status:open|new|reopened|resolved|accepted|fp|muted|active' },
    { text: '  check:aws.*  check:ports   free text or "two words" (title, resource, check)   -term negates' },
  ];
  const win = useListWindow(Math.max(1, lines.length - height + 1), 1);
  useKeys(
    (input, key) => {
      const move = listMoveFor(commandFor(input, key, 'help'), height);
      if (move) win.move(move);
    },
    active,
  );
  return (
    <Box width={width}>
      <ScrollLines lines={lines} offset={win.cursor} height={height} />
    </Box>
  );
}
