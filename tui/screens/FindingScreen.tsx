import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { isoMinute } from '../components/cells.js';
import { Footer } from '../components/Footer.js';
import { ScrollLines, type Line } from '../components/ScrollLines.js';
import type { FindingDetail } from '../data/finding-detail.js';
import { listMoveFor } from '../hooks/list-window.js';
import { useActions } from '../hooks/use-actions.js';
import { useListWindow } from '../hooks/use-list-window.js';
import { useTui } from '../hooks/use-tui.js';
import { Command, commandFor } from '../keymap.js';
import type { ScreenProps } from '../routes.js';
import { theme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

/** The detail as lines: evidence (already redacted by the check), where, how to fix, ticket, and who did what. */
export function detailLines(detail: FindingDetail, now: number): Line[] {
  const { finding, events, ticket } = detail;
  const lines: Line[] = [];
  const heading = (text: string) => lines.push({ text: '' }, { text, bold: true, color: theme.accent });
  const decisionInForce = finding.decision !== null && !(finding.decision === 'accepted' && finding.decisionUntil !== null && finding.decisionUntil <= now);
  lines.push(
    { text: finding.title, bold: true, color: theme.severity[finding.severity] },
    { text: `severity ${finding.severity} · status ${finding.status}${decisionInForce ? ` · ${finding.decision!.replace('_', ' ')}` : ''}` },
    { text: `check    ${finding.checkId}` },
    { text: `resource ${finding.resourceId}${finding.key ? `  key ${finding.key}` : ''}` },
    { text: `target   ${finding.targetId} · scope ${finding.scope}` },
    { text: `seen     first ${isoMinute(finding.firstSeen)} · last ${isoMinute(finding.lastSeen)}${finding.resolvedAt ? ` · resolved ${isoMinute(finding.resolvedAt)}` : ''}` },
    { text: `id       ${finding.fingerprint}`, color: theme.dim },
  );
  if (finding.decision) {
    lines.push({
      text: `decision ${finding.decision.replace('_', ' ')}${finding.decisionUntil ? ` until ${isoMinute(finding.decisionUntil)}` : ''} by ${finding.decisionBy ?? '?'}: ${finding.decisionReason ?? ''}${decisionInForce ? '' : ' (lapsed)'}`,
      color: theme.status.accepted,
    });
  }
  heading('Ticket');
  lines.push(ticket ? { text: `${ticket.key}${ticket.status ? ` (${ticket.status})` : ''}${ticket.url ? `  ${ticket.url}` : ''}` } : { text: 'no linked ticket', color: theme.dim });
  heading('Location');
  const location = finding.location ? Object.entries(finding.location).map(([key, value]) => `${key}=${String(value)}`).join('  ') : '';
  lines.push({ text: location || '-', color: location ? undefined : theme.dim });
  heading('Evidence (redacted)');
  for (const text of JSON.stringify(finding.evidence, null, 2).split('\n')) lines.push({ text });
  heading('Remediation');
  for (const text of (finding.remediation ?? '-').split('\n')) lines.push({ text });
  heading(`History (${events.length})`);
  for (const event of events) {
    const change = event.fromStatus !== event.toStatus && event.toStatus ? ` ${event.fromStatus ?? '∅'}→${event.toStatus}` : '';
    lines.push({ text: `${isoMinute(event.at)}  ${event.actor.padEnd(10)} ${event.type}${change}${event.reason ? `: ${event.reason}` : ''}` });
  }
  return lines;
}

export function FindingScreen({ fingerprint, height, active }: ScreenProps & { readonly fingerprint: string }) {
  const { data, version, now } = useTui();
  const actions = useActions();
  const detail = useMemo(() => data.findingDetail(fingerprint), [data, fingerprint, version]);
  const lines = useMemo(() => (detail ? detailLines(detail, now()) : []), [detail]);
  const bodyHeight = Math.max(1, height - 1);
  // Scrolling a document: the "cursor" is the top line, so the window moves one line per key.
  const win = useListWindow(Math.max(1, lines.length - bodyHeight + 1), 1);

  useKeys(
    (input, key) => {
      const command = commandFor(input, key, 'finding');
      const move = listMoveFor(command, bodyHeight);
      if (move) return win.move(move);
      switch (command) {
        case Command.FalsePositive:
        case Command.Accept:
        case Command.Mute:
        case Command.Undo:
        case Command.RunNow:
          if (detail) actions.start(command, { fingerprint, checkId: detail.finding.checkId });
          return;
        default:
          return;
      }
    },
    active && !actions.prompt,
  );

  if (!detail) return <Text color={theme.error}>finding {fingerprint.slice(0, 12)} is no longer in the ledger (pruned?); esc to go back</Text>;
  return (
    <Box flexDirection="column" height={height}>
      <ScrollLines lines={lines} offset={win.cursor} height={bodyHeight} />
      <Footer prompt={actions.prompt} active={active} hints="j/k scroll · f false-pos · a accept · m mute · u undo · r run check · esc back" />
    </Box>
  );
}
