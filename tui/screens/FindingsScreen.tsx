import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ago, fit } from '../components/cells.js';
import { Footer } from '../components/Footer.js';
import { Table, type Column } from '../components/Table.js';
import { TextPrompt } from '../components/TextPrompt.js';
import { EMPTY_QUERY, parseFindingQuery } from '../data/finding-query.js';
import { FINDING_SORTS, type FindingListRow, type FindingSort } from '../data/findings.js';
import { listMoveFor } from '../hooks/list-window.js';
import { useActions } from '../hooks/use-actions.js';
import { useListWindow } from '../hooks/use-list-window.js';
import { useTui } from '../hooks/use-tui.js';
import { Command, commandFor } from '../keymap.js';
import type { ScreenProps } from '../routes.js';
import { STATUS_LABEL, theme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

/** Above this many matches the list shows "1,000+" while typing; the exact count comes when typing pauses. */
const COUNT_CAP = 1_000;
// Long enough that typing (keys 100-300 ms apart) never waits on a full count between two keys.
const EXACT_COUNT_AFTER_MS = 400;

function columns(width: number, now: number): Column<FindingListRow>[] {
  const wide = width >= 120;
  return [
    { header: 'SEVERITY', width: 8, value: (row) => row.severity, color: (row) => theme.severity[row.severity] },
    { header: 'STATUS', width: 10, value: (row) => STATUS_LABEL[row.shownStatus], color: (row) => theme.status[row.shownStatus] },
    { header: 'CHECK', width: wide ? 28 : 22, value: (row) => row.checkId },
    ...(wide ? [{ header: 'RESOURCE', width: 32, value: (row: FindingListRow) => row.resourceId }] : []),
    { header: 'TITLE', value: (row) => row.title },
    { header: 'AGE', width: 8, align: 'right', value: (row) => ago(row.firstSeen, now).replace(' ago', '') },
  ];
}

/** The findings list: a filtered, sorted window over the ledger; SQLite does the filtering, only visible rows render. */
export function FindingsScreen({ query: initialQuery, height, width, active, navigate }: ScreenProps & { readonly query: string }) {
  const { data, version, now, setCapturing } = useTui();
  const [queryText, setQueryText] = useState(initialQuery);
  const [editing, setEditing] = useState<{ previous: string } | undefined>(undefined);
  const [filterError, setFilterError] = useState<string | undefined>(undefined);
  const [sort, setSort] = useState<FindingSort>('severity');
  const actions = useActions();
  const parsed = useMemo(() => parseFindingQuery(queryText), [queryText]);
  const query = parsed.ok ? parsed.query : EMPTY_QUERY;
  const listHeight = Math.max(1, height - 3);
  // Per keystroke: a count capped at COUNT_CAP and one window of rows. The exact count follows when typing pauses.
  const matches = useMemo(() => data.findings.matchesUpTo(query, now(), COUNT_CAP), [data, query, version]);
  const capped = matches.count;
  const countKey = `${queryText}\0${version}`;
  const [exact, setExact] = useState<{ key: string; count: number } | undefined>(undefined);
  useEffect(() => {
    if (capped <= COUNT_CAP) return;
    const timer = setTimeout(() => setExact({ key: countKey, count: data.findings.count(query, now()) }), EXACT_COUNT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [countKey, capped]);
  const known = capped <= COUNT_CAP ? capped : exact?.key === countKey ? exact.count : undefined;
  const count = known ?? capped;
  const win = useListWindow(count, listHeight, `${queryText}\0${sort}`);
  const rows = useMemo(
    () => data.findings.page(query, sort, win.offset, listHeight, now(), matches.exact ? matches : { count, exact: known !== undefined }),
    [data, query, sort, win.offset, listHeight, version, count, known, matches],
  );
  const selected = rows[win.cursor - win.offset];

  // Live refresh keeps the cursor on the same finding while rows arrive or leave above it. This effect must run before
  // the one that remembers the selection, so it still sees the finding selected before the refresh.
  const remembered = useRef<string | undefined>(undefined);
  const seenVersion = useRef(version);
  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    if (!remembered.current) return;
    const position = data.findings.position(query, sort, remembered.current, now());
    if (position !== undefined && position !== win.cursor) win.move({ to: 'index', index: position });
  }, [version]);
  useEffect(() => {
    remembered.current = selected?.fingerprint;
  }, [selected?.fingerprint]);

  const stopEditing = () => {
    setEditing(undefined);
    setCapturing(false);
  };

  useKeys(
    (input, key) => {
      const command = commandFor(input, key, 'findings');
      const move = listMoveFor(command, listHeight);
      if (move) return win.move(move);
      switch (command) {
        case Command.Open:
          if (selected) navigate({ screen: 'finding', fingerprint: selected.fingerprint });
          return;
        case Command.Filter:
          setCapturing(true);
          setEditing({ previous: queryText });
          return;
        case Command.Sort:
          setSort((current) => FINDING_SORTS[(FINDING_SORTS.indexOf(current) + 1) % FINDING_SORTS.length]!);
          return;
        case Command.FalsePositive:
        case Command.Accept:
        case Command.Mute:
        case Command.Undo:
        case Command.RunNow:
          if (selected) actions.start(command, { fingerprint: selected.fingerprint, checkId: selected.checkId });
          return;
        default:
          return;
      }
    },
    active && !editing && !actions.prompt,
  );

  const shown = known === undefined ? `${COUNT_CAP.toLocaleString('en-US')}+` : known.toLocaleString('en-US');
  const status = `${shown} finding${count === 1 ? '' : 's'} · sort: ${sort}${count > 0 ? ` · ${(win.cursor + 1).toLocaleString('en-US')}/${shown}` : ''}`;
  return (
    <Box flexDirection="column" height={height}>
      {editing ? (
        <TextPrompt
          label="/"
          initial={queryText}
          active={active}
          onChange={(value) => {
            const next = parseFindingQuery(value);
            setFilterError(next.ok ? undefined : next.error);
            if (next.ok) setQueryText(value);
          }}
          onSubmit={() => {
            setFilterError(undefined);
            stopEditing();
          }}
          onCancel={() => {
            setQueryText(editing.previous);
            setFilterError(undefined);
            stopEditing();
          }}
          hint={filterError ?? status}
          hintColor={filterError ? theme.error : theme.dim}
        />
      ) : (
        <Text wrap="truncate">
          <Text bold color={theme.accent}>
            filter:
          </Text>{' '}
          {queryText || '(none)'} {parsed.ok ? <Text color={theme.dim}>{status}</Text> : <Text color={theme.error}>{parsed.error}: showing every finding</Text>}
        </Text>
      )}
      <Box height={listHeight + 1} flexDirection="column">
        {count === 0 ? (
          <Text color={theme.dim}>{fit('no findings match this filter', width)}</Text>
        ) : (
          <Table columns={columns(width, now())} rows={rows} cursor={win.cursor - win.offset} width={width} rowKey={(row) => row.fingerprint} />
        )}
      </Box>
      <Footer prompt={actions.prompt} active={active} hints="enter detail · / filter · s sort · f false-pos · a accept · m mute · u undo · r run · ? help" />
    </Box>
  );
}
