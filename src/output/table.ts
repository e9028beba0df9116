import Table from 'cli-table3';
import picocolors from 'picocolors';
import { SEVERITIES, type Severity } from '../check-api/types.js';
import type { Decision } from '../findings/lifecycle.js';
import { sortFindings, type FindingView } from './finding-view.js';

export interface TableOptions {
  /** Colour severities; pass `process.stdout.isTTY`, so piped output stays plain. */
  readonly color: boolean;
  /** Terminal width (`process.stdout.columns`); titles, then resources, then check ids shrink to fit it. */
  readonly maxWidth?: number;
}

type Colors = ReturnType<typeof picocolors.createColors>;

const SEVERITY_STYLE: Record<Severity, (colors: Colors, text: string) => string> = {
  critical: (c, text) => c.bold(c.red(text)),
  high: (c, text) => c.red(text),
  medium: (c, text) => c.yellow(text),
  low: (c, text) => c.cyan(text),
  info: (c, text) => c.dim(text),
};

const DECISION_LABEL: Record<Decision, string> = {
  false_positive: 'false positive',
  accepted: 'accepted',
  muted: 'muted',
};

/** Widest a column may get before its text is cut with `…`, and the narrowest `maxWidth` may squeeze it to. */
const LIMITS = {
  check: { max: 32, min: 16 },
  resource: { max: 40, min: 16 },
  title: { max: 50, min: 20 },
} as const;

/** Each column adds its text, one space of padding either side and one border character. */
const CELL_OVERHEAD = 3;

export function renderTable(findings: readonly FindingView[], options: TableOptions): string {
  if (findings.length === 0) return 'No findings.\n';
  const colors = picocolors.createColors(options.color);
  const sorted = sortFindings(findings);
  const showDecision = sorted.some((finding) => finding.decision !== null);

  const rows = sorted.map((finding) => ({
    severity: finding.severity,
    status: finding.status,
    check: oneLine(finding.checkId),
    resource: oneLine(finding.resourceId),
    title: oneLine(finding.title),
    decision: finding.decision === null ? '' : DECISION_LABEL[finding.decision],
  }));
  const widths = columnWidths(rows, showDecision, options.maxWidth);

  const head = ['SEVERITY', 'STATUS', 'CHECK', 'RESOURCE', 'TITLE', ...(showDecision ? ['DECISION'] : [])];
  const table = new Table({
    head: head.map((label) => colors.bold(label)),
    // cli-table3 colours its header and border on its own unless told not to; colour is ours to decide.
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      SEVERITY_STYLE[row.severity](colors, row.severity),
      row.status,
      truncateEnd(row.check, widths.check),
      truncateMiddle(row.resource, widths.resource),
      truncateEnd(row.title, widths.title),
      ...(showDecision ? [row.decision] : []),
    ]);
  }
  return `${table.toString()}\n${summaryLine(sorted)}\n`;
}

/** "3 findings: 1 high, 2 medium", most severe first. */
export function summaryLine(findings: readonly FindingView[]): string {
  const counts = new Map<Severity, number>();
  for (const finding of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  const parts = [...SEVERITIES]
    .reverse()
    .filter((severity) => counts.has(severity))
    .map((severity) => `${counts.get(severity)} ${severity}`);
  const noun = findings.length === 1 ? 'finding' : 'findings';
  return parts.length === 0 ? 'No findings.' : `${findings.length} ${noun}: ${parts.join(', ')}`;
}

interface Widths {
  check: number;
  resource: number;
  title: number;
}

function columnWidths(
  rows: readonly { severity: string; status: string; check: string; resource: string; title: string; decision: string }[],
  showDecision: boolean,
  maxWidth: number | undefined,
): Widths {
  // A loop, not Math.max(...spread): a ledger can hold more findings than a call can take arguments.
  const longest = (pick: (row: (typeof rows)[number]) => string, header: string): number =>
    rows.reduce((widest, row) => Math.max(widest, length(pick(row))), header.length);
  const widths: Widths = {
    check: Math.min(LIMITS.check.max, longest((row) => row.check, 'CHECK')),
    resource: Math.min(LIMITS.resource.max, longest((row) => row.resource, 'RESOURCE')),
    title: Math.min(LIMITS.title.max, longest((row) => row.title, 'TITLE')),
  };
  if (maxWidth === undefined) return widths;

  const fixed =
    longest((row) => row.severity, 'SEVERITY') +
    longest((row) => row.status, 'STATUS') +
    (showDecision ? longest((row) => row.decision, 'DECISION') : 0);
  const columns = showDecision ? 6 : 5;
  let excess = fixed + widths.check + widths.resource + widths.title + columns * CELL_OVERHEAD + 1 - maxWidth;
  // Shrink the columns whose tail matters least first: a title reads fine cut short, a check id less so.
  for (const column of ['title', 'resource', 'check'] as const) {
    if (excess <= 0) break;
    const give = Math.max(0, Math.min(excess, widths[column] - LIMITS[column].min));
    widths[column] -= give;
    excess -= give;
  }
  return widths;
}

/** Control characters would break the layout or smuggle escape sequences from scanned data into the terminal. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function length(text: string): number {
  return Array.from(text).length;
}

export function truncateEnd(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Keeps both ends: resource ids share long prefixes (`arn:aws:s3:::`) and differ at the end. */
export function truncateMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  const head = max - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
