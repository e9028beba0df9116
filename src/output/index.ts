import type { CheckMeta, JsonValue } from '../check-api/types.js';
import { renderCsv } from './csv.js';
import type { FindingView } from './finding-view.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export { compareFindings, formatLocation, fromFindingRow, fromFindingRowAt, sortFindings, type FindingView } from './finding-view.js';

export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** Colour the table; pass `process.stdout.isTTY`. Other formats are never coloured. */
  readonly color: boolean;
  readonly toolVersion: string;
  /** `generatedAt` in JSON; defaults to the current time. */
  readonly now?: Date;
  /** Terminal width for the table (`process.stdout.columns`). */
  readonly maxWidth?: number;
  /** SARIF `tool.driver.informationUri`; left out when not given. */
  readonly informationUri?: string;
  /** JSON only: per-control compliance results to publish beside the findings. */
  readonly compliance?: JsonValue;
}

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/**
 * Renders findings in every format in the same order (most severe first, then check, resource, key). The text
 * ends with a newline, ready for `process.stdout.write`. `checks` supplies rule metadata for SARIF.
 */
export function renderFindings(
  format: OutputFormat,
  findings: readonly FindingView[],
  checks: readonly CheckMeta[],
  options: RenderOptions,
): string {
  switch (format) {
    case 'table':
      return renderTable(findings, { color: options.color, maxWidth: options.maxWidth });
    case 'json':
      return renderJson(findings, { toolVersion: options.toolVersion, now: options.now ?? new Date(), ...(options.compliance !== undefined ? { compliance: options.compliance } : {}) });
    case 'sarif':
      return renderSarif(findings, checks, { toolVersion: options.toolVersion, informationUri: options.informationUri });
    case 'csv':
      return renderCsv(findings);
  }
}
