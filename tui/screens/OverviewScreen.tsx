import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { SEVERITIES } from '../../src/check-api/types.js';
import { ago } from '../components/cells.js';
import { Sparkline } from '../components/Sparkline.js';
import type { Overview } from '../data/overview.js';
import { useTui } from '../hooks/use-tui.js';
import type { ScreenProps } from '../routes.js';
import { theme } from '../theme.js';

/** Posture at a glance; fits 80x24 by giving the lists (problems, next runs) only the lines left over. */
export function OverviewScreen({ height }: ScreenProps) {
  const { data, version, now } = useTui();
  const overview = useMemo(() => data.overview(now()), [data, version]);
  return <OverviewView overview={overview} height={height} now={now()} />;
}

export function OverviewView({ overview, height, now }: { readonly overview: Overview; readonly height: number; readonly now: number }) {
  const open = SEVERITIES.reduce((sum, s) => sum + overview.openBySeverity[s], 0);
  const fixedLines = 9;
  const listLines = Math.max(0, height - fixedLines);
  const problemLines = Math.min(overview.problems.length, Math.max(1, Math.ceil(listLines / 2)));
  const nextLines = Math.min(overview.nextRuns.length, Math.max(0, listLines - Math.max(1, problemLines)));
  const trendMin = Math.min(...overview.trend);
  const trendMax = Math.max(...overview.trend);
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold>Open findings {open}</Text>
        {'  '}
        {[...SEVERITIES].reverse().map((s) => (
          <Text key={s} color={theme.severity[s]}>
            {s} {overview.openBySeverity[s]}
            {'  '}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate">
        <Text color={theme.dim}>by area </Text>
        {overview.openByArea.length ? overview.openByArea.map((a) => `${a.area} ${a.count}`).join(' · ') : 'none'}
      </Text>
      <Text wrap="truncate">
        <Text color={theme.dim}>new </Text>
        <Text color={theme.status.new}>24h {overview.newLast24h} · 7d {overview.newLast7d}</Text>
        <Text color={theme.dim}>   resolved </Text>
        <Text color={theme.ok}>24h {overview.resolvedLast24h} · 7d {overview.resolvedLast7d}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color={theme.dim}>30d trend </Text>
        <Sparkline values={overview.trend} color={theme.accent} />
        <Text color={theme.dim}>
          {' '}
          {trendMin}–{trendMax} open
        </Text>
      </Text>
      <Text wrap="truncate">
        <Text color={theme.dim}>outbox </Text>
        {overview.outbox.pending} pending{overview.outbox.oldestPendingAt !== null ? ` (oldest ${ago(overview.outbox.oldestPendingAt, now)})` : ''} ·{' '}
        <Text color={overview.outbox.dead > 0 ? theme.error : undefined}>{overview.outbox.dead} dead letters</Text>
        <Text color={theme.dim}>   daemon </Text>
        {overview.daemon.alive ? <Text color={theme.ok}>up</Text> : <Text color={theme.dim}>not running{overview.daemon.beatAt !== null ? ` (last seen ${ago(overview.daemon.beatAt, now)})` : ''}</Text>}
      </Text>
      <Text> </Text>
      <Text bold wrap="truncate">
        Last run not ok ({overview.problems.length})
      </Text>
      {overview.problems.length === 0 ? <Text color={theme.ok}>every check's last run was ok</Text> : null}
      {overview.problems.slice(0, problemLines).map((p) => (
        <Text key={`${p.checkId}/${p.targetId}`} wrap="truncate">
          <Text color={theme.outcome[p.outcome]}>{p.outcome.padEnd(8)}</Text>
          {p.checkId} [{p.targetId}] {ago(p.startedAt, now)}
          {p.error ? <Text color={theme.dim}>: {p.error}</Text> : null}
        </Text>
      ))}
      <Text bold wrap="truncate">
        Next runs
      </Text>
      {overview.nextRuns.length === 0 ? <Text color={theme.dim}>nothing scheduled</Text> : null}
      {overview.nextRuns.slice(0, nextLines).map((n) => (
        <Text key={n.scheduleId} wrap="truncate">
          {ago(n.at, now).padEnd(10)} {n.checkId} <Text color={theme.dim}>[{n.scheduleId}]</Text>
        </Text>
      ))}
    </Box>
  );
}
