import { Box, Text } from 'ink';
import type { Color } from '../theme.js';

export interface Line {
  readonly text: string;
  readonly color?: Color;
  readonly bold?: boolean;
}

/** Shows `height` lines of a longer document starting at `offset`; the caller owns the offset. */
export function ScrollLines({ lines, offset, height }: { readonly lines: readonly Line[]; readonly offset: number; readonly height: number }) {
  const visible = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, index) => (
        <Text key={offset + index} color={line.color} bold={line.bold} wrap="truncate">
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
    </Box>
  );
}
