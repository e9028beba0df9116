import cvss from 'ae-cvss-calculator';
import type { Severity } from '../../../src/check-api/types.js';
import type { OsvRecord } from './schema.js';

// ae-cvss-calculator is CommonJS; Node's ESM loader exposes only its default export.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

export interface AdvisorySeverity {
  readonly severity: Severity;
  /** Where the severity came from: a CVSS vector and its base score, the database's own label, or nothing. */
  readonly source: string;
  readonly score: number | null;
}

/** CVSS v3/v4 qualitative rating scale. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

function cvssScore(type: string, vector: string): number | null {
  try {
    if (type === 'CVSS_V4') return new Cvss4P0(vector).calculateScores().base ?? null;
    if (type === 'CVSS_V3') {
      const scores = vector.startsWith('CVSS:3.0/') ? new Cvss3P0(vector).calculateScores() : new Cvss3P1(vector).calculateScores();
      return scores.base ?? null;
    }
    if (type === 'CVSS_V2') return new Cvss2(vector).calculateScores().base ?? null;
  } catch {
    return null;
  }
  return null;
}

const LABELS: Record<string, Severity> = { critical: 'critical', high: 'high', moderate: 'medium', medium: 'medium', low: 'low', none: 'info', informational: 'info' };

/**
 * Severity from the record's CVSS vectors (newest CVSS version first, scored by ae-cvss-calculator), else from the
 * database's own label (GHSA `database_specific.severity`, Go/RustSec per-package labels), else unknown (medium).
 */
export function advisorySeverity(record: OsvRecord): AdvisorySeverity {
  const vectors = [...(record.severity ?? []), ...(record.affected ?? []).flatMap((a) => a.severity ?? [])];
  for (const type of ['CVSS_V4', 'CVSS_V3', 'CVSS_V2']) {
    for (const entry of vectors.filter((v) => v.type === type)) {
      const score = cvssScore(type, entry.score);
      if (score !== null) return { severity: severityOfScore(score), source: `${type}:${entry.score}`, score };
    }
  }
  const labels = [record.database_specific?.severity, ...(record.affected ?? []).map((a) => a.ecosystem_specific?.severity ?? a.database_specific?.severity)];
  for (const label of labels) {
    if (typeof label !== 'string') continue;
    const severity = LABELS[label.toLowerCase()];
    if (severity) return { severity, source: `database:${label}`, score: null };
  }
  return { severity: 'medium', source: 'unknown', score: null };
}

/**
 * The id one vulnerability is known by across databases, so PYSEC-x, GHSA-y and CVE-z for one flaw make one finding:
 * a CVE id when the record or its aliases have one, else a GHSA id, else the record's own id. Stable as long as the
 * databases keep their aliases, because the lowest id of the preferred kind wins.
 */
export function vulnerabilityKey(record: Pick<OsvRecord, 'id' | 'aliases'>): string {
  const ids = [record.id, ...(record.aliases ?? [])];
  for (const prefix of ['CVE-', 'GHSA-']) {
    const matching = ids.filter((id) => id.startsWith(prefix)).sort();
    if (matching.length > 0) return matching[0]!;
  }
  return record.id;
}
