import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { duration, isoMinute } from '../components/cells.js';
import { Table, type Column } from '../components/Table.js';
import type { RunListRow } from '../data/runs.js';
import { listMoveFor } from '../hooks/list-window.js';
import { useListWindow } from '../hooks/use-list-window.js';
import { useTui } from '../hooks/use-tui.js';
import { commandFor } from '../keymap.js';
import type { ScreenProps } from '../routes.js';
import { theme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

const COLUMNS: Column<RunListRow>[] = [
  { header: 'STARTED', width: 16, value: (row) => isoMinute(row.startedAt) },
  { header: 'OUTCOME', width: 8, value: (row) => row.outcome, color: (row) => theme.outcome[row.outcome] },
  { header: 'CHECK', width: 26, value: (row) => row.checkId },
  { header: 'TARGET', width: 14, value: (row) => row.targetId },
  { header: 'TOOK', width: 6, align: 'right', value: (row) => (row.outcome === 'skipped' ? '-' : duration(row.finishedAt - row.startedAt)) },
  { header: 'SEEN/NEW/RES', value: (row) => `${row.findingsSeen}/${row.findingsNew}/${row.findingsResolved}` },
];

/** Why a run was not ok, on the two lines under the list. */
function explain(run: RunListRow | undefined): string[] {
  if (!run) return ['', ''];
  if (run.outcome === 'skipped') return [`skipped: ${run.skipReason ?? '?'} (${run.skipCount} slot${run.skipCount === 1 ? '' : 's'})`, ''];
  const uncovered = run.uncovered.length ? `not covered: ${run.uncovered.join('; ')}` : '';
  return [run.error ? `error: ${run.error}` : run.outcome === 'ok' ? `run ${run.id} via ${run.trigger}` : '', uncovered];
}

export function RunsScreen({ height, width, active }: ScreenProps) {
  const { data, version } = useTui();
  const listHeight = Math.max(1, height - 3);
  const count = useMemo(() => data.runCount(), [data, version]);
  const win = useListWindow(count, listHeight);
  const rows = useMemo(() => data.runPage(win.offset, listHeight), [data, version, win.offset, listHeight]);
  const selected = rows[win.cursor - win.offset];
  useKeys(
    (input, key) => {
      const move = listMoveFor(commandFor(input, key, 'runs'), listHeight);
      if (move) win.move(move);
    },
    active,
  );
  const [first, second] = explain(selected);
  return (
    <Box flexDirection="column" height={height}>
      <Box height={listHeight + 1} flexDirection="column">
        {count === 0 ? <Text color={theme.dim}>no runs recorded yet</Text> : <Table columns={COLUMNS} rows={rows} cursor={win.cursor - win.offset} width={width} rowKey={(row) => row.id} />}
      </Box>
      <Text wrap="truncate" color={selected && selected.outcome !== 'ok' ? theme.outcome[selected.outcome] : theme.dim}>
        {first || ' '}
      </Text>
      <Text wrap="truncate" color={theme.outcome.partial}>
        {second || ' '}
      </Text>
    </Box>
  );
}
