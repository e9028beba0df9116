import { Box, Text } from 'ink';
import pc from 'picocolors';
import type { Color } from '../theme.js';
import { fit } from './cells.js';

export interface Column<Row> {
  readonly header: string;
  /** Fixed width; the one column without a width takes what is left. */
  readonly width?: number;
  readonly align?: 'left' | 'right';
  readonly value: (row: Row) => string;
  readonly color?: (row: Row) => Color;
}

export interface TableProps<Row> {
  readonly columns: readonly Column<Row>[];
  /** Only the visible window: the caller fetched exactly these rows. */
  readonly rows: readonly Row[];
  /** Index into `rows` of the highlighted row, or -1. */
  readonly cursor: number;
  readonly width: number;
  readonly rowKey: (row: Row) => string;
}

// Colours are applied to the row string here rather than with a nested <Text> per cell: one Ink node per row instead
// of seven cuts the render of a 50-row window by several times (bench/tui.js). The theme already maps NO_COLOR to
// undefined, so colours are always "on" at this level.
const colours = pc.createColors(true) as unknown as Record<string, (text: string) => string>;

function paint(text: string, color: Color): string {
  const apply = color ? colours[color] : undefined;
  return apply ? apply(text) : text;
}

/** A table that renders exactly the rows it is given, one terminal line each, never wrapping. */
export function Table<Row>({ columns, rows, cursor, width, rowKey }: TableProps<Row>) {
  const fixed = columns.reduce((sum, column) => sum + (column.width ?? 0) + 1, 0);
  const flex = Math.max(8, width - fixed);
  const widthOf = (column: Column<Row>) => column.width ?? flex;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {columns.map((column) => fit(column.header, widthOf(column), column.align)).join(' ')}
      </Text>
      {rows.map((row, index) => (
        <Text key={rowKey(row)} inverse={index === cursor} wrap="truncate">
          {columns.map((column) => paint(fit(column.value(row), widthOf(column), column.align), column.color?.(row))).join(' ')}
        </Text>
      ))}
    </Box>
  );
}
