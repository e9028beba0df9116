import { SEVERITIES, severityRank, type Severity } from '../../src/check-api/types.js';
import { vulnerabilityGroups, type VulnerabilityGroup } from './aliases.js';
import type { VexStatement } from './options.js';
import type { MatchRow } from './store/inventory-store.js';

/** The statement that covers a match, if any: same vulnerability (any of its ids), artifact and package when given. */
export function vexFor(statements: readonly VexStatement[], row: MatchRow): VexStatement | undefined {
  const ids = new Set([row.vulnKey, row.advisoryId, ...row.aliases]);
  return statements.find(
    (s) =>
      ids.has(s.vulnerability) &&
      (s.artifact === undefined || s.artifact === row.artifact || s.artifact === `${row.artifact}@${row.version}`) &&
      (s.package === undefined || s.package === row.packageName),
  );
}

/** A statement naming any id of the group covers it (every row of a group is one artifact version and one package). */
export function groupVex(statements: readonly VexStatement[], group: VulnerabilityGroup): VexStatement | undefined {
  if (statements.length === 0) return undefined;
  return vexFor(statements, Object.assign({}, group.rows[0]!, { vulnKey: group.key, aliases: [...group.ids] }));
}

/** Components resolved from a private registry are not matched against public advisories about the same name. */
export function privateRegistryTest(prefixes: readonly string[]): (registry: string) => boolean {
  return (registry) => registry !== '' && prefixes.some((prefix) => registry.startsWith(prefix));
}

export interface VexExportOptions {
  readonly vex: readonly VexStatement[];
  readonly privateRegistries: readonly string[];
}

/**
 * CycloneDX 1.5 VEX for the current matches, grouped exactly as the findings are: advisories linked by any alias,
 * transitively, are one vulnerability (keyed by its CVE, else GHSA, else lowest id), so the export never lists
 * `GHSA-x` and `PYSEC-y` of one flaw as two. One entry per (vulnerability, artifact version, statement) with the
 * affected components' purls: `not_affected` with its justification where a statement covers them, else `in_triage`
 * (Vigil reports it, nobody has assessed it). Private-registry matches are left out, as they are not findings.
 * Pure, so the export and its tests see the same document.
 */
export function buildCycloneDxVex(rows: readonly MatchRow[], options: VexExportOptions, now: Date): Record<string, unknown> {
  const isPrivate = privateRegistryTest(options.privateRegistries);
  const entries = new Map<string, { key: string; groups: VulnerabilityGroup[]; statement: VexStatement | undefined }>();
  for (const group of vulnerabilityGroups(rows.filter((row) => !isPrivate(row.registry)))) {
    const first = group.rows[0]!;
    const statement = groupVex(options.vex, group);
    const id = `${group.key}\u0000${first.source}/${first.artifact}@${first.version}\u0000${statement ? options.vex.indexOf(statement) : -1}`;
    const entry = entries.get(id) ?? { key: group.key, groups: [], statement };
    entry.groups.push(group);
    entries.set(id, entry);
  }
  const vulnerabilities = [...entries.values()].map(({ key, groups, statement }) => {
    const groupRows = groups.flatMap((g) => g.rows);
    const first = groupRows[0]!;
    const ids = new Set(groups.flatMap((g) => [...g.ids]));
    const severity = groupRows.map((r) => r.severity as Severity).filter((s) => SEVERITIES.includes(s)).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'medium';
    const advisory = [...new Set(groupRows.map((r) => r.advisoryId))].sort()[0]!;
    return {
      id: key,
      source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(advisory)}` },
      ...(ids.size > 1 ? { references: [...ids].filter((id) => id !== key).sort().map((id) => ({ id, source: { name: 'OSV' } })) } : {}),
      ratings: [{ severity, method: 'other', justification: [...new Set(groupRows.map((r) => r.severitySource))].sort().join(', ') }],
      description: groupRows.find((r) => r.summary)?.summary ?? '',
      affects: [...new Set(groupRows.map((r) => r.purl))].sort().map((ref) => ({ ref })),
      properties: [{ name: 'vigil:artifact', value: `${first.source}/${first.artifact}@${first.version}` }],
      analysis: statement ? { state: 'not_affected', justification: statement.justification, detail: statement.detail } : { state: 'in_triage' },
    };
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { timestamp: now.toISOString(), tools: { components: [{ type: 'application', name: 'vigil' }] } },
    vulnerabilities,
  };
}
