import { stringify } from 'csv-stringify/sync';
import { formatLocation, isoDate, sortFindings, type FindingView } from './finding-view.js';

export const CSV_COLUMNS = [
  'fingerprint',
  'severity',
  'status',
  'decision',
  'check_id',
  'resource_id',
  'key',
  'scope',
  'title',
  'location',
  'first_seen',
  'last_seen',
  'remediation',
] as const;

type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

/**
 * One header row, then one row per finding. Resource ids, titles and file paths come from scanned data an attacker
 * may control, so any cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR and their full-width
 * forms) gets a leading `'` (OWASP CSV injection); commas, quotes and newlines are quoted as RFC 4180 says.
 */
export function renderCsv(findings: readonly FindingView[]): string {
  const records = sortFindings(findings).map(toRecord);
  return stringify(records, {
    header: true,
    columns: CSV_COLUMNS.map((key) => ({ key })),
    escape_formulas: true,
  });
}

function toRecord(finding: FindingView): CsvRecord {
  return {
    fingerprint: finding.fingerprint,
    severity: finding.severity,
    status: finding.status,
    decision: finding.decision ?? '',
    check_id: finding.checkId,
    resource_id: finding.resourceId,
    key: finding.key,
    scope: finding.scope,
    title: finding.title,
    location: formatLocation(finding.location),
    first_seen: isoDate(finding.firstSeen) ?? '',
    last_seen: isoDate(finding.lastSeen) ?? '',
    remediation: finding.remediation ?? '',
  };
}
