import { InvalidConfigError } from '../../check-api/errors.js';
import { SEVERITIES, type Severity } from '../../check-api/types.js';
import { FINDING_STATUSES, type FindingStatus } from '../../findings/lifecycle.js';
import { renderFindings, type OutputFormat } from '../../output/index.js';
import { fromFindingRow } from '../../output/finding-view.js';
import { listFindings } from '../../store/queries/findings.js';
import { registry } from '../../../checks/registry.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';
import { parseSince } from '../parse-since.js';
import { VIGIL_VERSION } from '../version.js';

export interface FindingsCommandOptions extends GlobalOptions {
  readonly status?: string;
  readonly severity?: string;
  readonly check?: string;
  readonly since?: string;
  readonly format: OutputFormat;
  readonly limit?: string;
  readonly output?: string;
}

/** `audit findings` and `audit export` share this: query the ledger, render in any format. */
export function findingsCommand(options: FindingsCommandOptions, defaults: { statuses: FindingStatus[] }): string {
  const loaded = loadCliConfig(options);
  const statuses = options.status === 'all' ? [] : options.status ? parseStatuses(options.status) : defaults.statuses;
  if (options.severity && !(SEVERITIES as readonly string[]).includes(options.severity)) {
    throw new InvalidConfigError(`--severity must be one of ${SEVERITIES.join(', ')}`);
  }
  const limit = options.limit ? Number(options.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new InvalidConfigError('--limit must be a positive integer');
  const db = openCliStore(options, loaded, { readonly: true });
  try {
    const rows = listFindings(db, {
      statuses,
      ...(options.severity ? { minSeverity: options.severity as Severity } : {}),
      ...(options.check ? { check: options.check } : {}),
      ...(options.since ? { sinceMs: parseSince(options.since) } : {}),
      ...(limit ? { limit } : {}),
    });
    return renderFindings(options.format, rows.map(fromFindingRow), registry.all, {
      color: Boolean(process.stdout.isTTY) && !options.output,
      toolVersion: VIGIL_VERSION,
      ...(process.stdout.columns && !options.output ? { maxWidth: process.stdout.columns } : {}),
    });
  } finally {
    db.close();
  }
}

function parseStatuses(value: string): FindingStatus[] {
  const statuses = value.split(',').map((s) => s.trim());
  for (const status of statuses) {
    if (!(FINDING_STATUSES as readonly string[]).includes(status)) {
      throw new InvalidConfigError(`--status '${status}' is not one of ${FINDING_STATUSES.join(', ')}, all`);
    }
  }
  return statuses as FindingStatus[];
}
