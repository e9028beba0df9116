import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { ago, duration } from '../components/cells.js';
import { Footer } from '../components/Footer.js';
import { Table, type Column } from '../components/Table.js';
import type { CheckListRow } from '../data/checks.js';
import { listMoveFor } from '../hooks/list-window.js';
import { useActions } from '../hooks/use-actions.js';
import { useListWindow } from '../hooks/use-list-window.js';
import { useTui } from '../hooks/use-tui.js';
import { Command, commandFor } from '../keymap.js';
import type { ScreenProps } from '../routes.js';
import { theme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

function columns(now: number): Column<CheckListRow>[] {
  return [
    { header: 'CHECK', width: 28, value: (row) => row.id },
    { header: 'LAST RUN', width: 8, value: (row) => row.lastOutcome ?? 'never', color: (row) => (row.lastOutcome ? theme.outcome[row.lastOutcome] : theme.dim) },
    { header: 'WHEN', width: 8, align: 'right', value: (row) => ago(row.lastStartedAt, now).replace(' ago', '') },
    { header: 'TOOK', width: 7, align: 'right', value: (row) => duration(row.lastDurationMs) },
    { header: 'OPEN', width: 6, align: 'right', value: (row) => String(row.activeFindings) },
    { header: 'NEXT', width: 8, align: 'right', value: (row) => (row.nextRunAt === null ? '-' : ago(row.nextRunAt, now)) },
    { header: 'TITLE', value: (row) => row.title },
  ];
}

export function ChecksScreen({ height, width, active, navigate }: ScreenProps) {
  const { data, version, now } = useTui();
  const actions = useActions();
  const checks = useMemo(() => data.checks(now()), [data, version]);
  const listHeight = Math.max(1, height - 2);
  const win = useListWindow(checks.length, listHeight);
  const selected = checks[win.cursor];
  useKeys(
    (input, key) => {
      const command = commandFor(input, key, 'checks');
      const move = listMoveFor(command, listHeight);
      if (move) return win.move(move);
      if (!selected) return;
      if (command === Command.Open) navigate({ screen: 'findings', query: `check:${selected.id} status:active` });
      if (command === Command.RunNow) actions.start(Command.RunNow, { checkId: selected.id });
    },
    active && !actions.prompt,
  );
  return (
    <Box flexDirection="column" height={height}>
      <Box height={listHeight + 1} flexDirection="column">
        {checks.length === 0 ? (
          <Text color={theme.dim}>no checks known yet</Text>
        ) : (
          <Table columns={columns(now())} rows={checks.slice(win.offset, win.offset + listHeight)} cursor={win.cursor - win.offset} width={width} rowKey={(row) => row.id} />
        )}
      </Box>
      <Footer prompt={actions.prompt} active={active} hints="enter findings of the check · r run now · : views · ? help" />
    </Box>
  );
}
