import { Text } from 'ink';
import type { Color } from '../theme.js';

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Eight-level bars scaled between the series' min and max; eight lines of code do not need a chart library. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  return values.map((value) => BARS[Math.min(BARS.length - 1, Math.floor(((value - min) / span) * (BARS.length - 1)))]).join('');
}

export function Sparkline({ values, color }: { readonly values: readonly number[]; readonly color?: Color }) {
  return <Text color={color}>{sparkline(values)}</Text>;
}
