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

/**
 * CycloneDX 1.5 VEX for the current matches: one vulnerability entry per (vulnerability, artifact version) with the
 * affected components' purls; `not_affected` with its justification where a statement covers it, else `in_triage`
 * (Vigil reports it, nobody has assessed it). Pure, so the export and its tests see the same document.
 */
export function buildCycloneDxVex(rows: readonly MatchRow[], statements: readonly VexStatement[], now: Date): Record<string, unknown> {
  const byKey = new Map<string, { rows: MatchRow[]; statement: VexStatement | undefined }>();
  for (const row of rows) {
    const key = `${row.vulnKey}\u0000${row.source}/${row.artifact}@${row.version}`;
    const entry = byKey.get(key) ?? { rows: [], statement: undefined };
    entry.rows.push(row);
    entry.statement ??= vexFor(statements, row);
    byKey.set(key, entry);
  }
  const vulnerabilities = [...byKey.values()].map(({ rows: group, statement }) => {
    const first = group[0]!;
    const aliases = [...new Set(group.flatMap((r) => [r.advisoryId, ...r.aliases]))].filter((id) => id !== first.vulnKey).sort();
    return {
      id: first.vulnKey,
      source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(first.advisoryId)}` },
      ...(aliases.length ? { references: aliases.map((id) => ({ id, source: { name: 'OSV' } })) } : {}),
      ratings: [{ severity: first.severity === 'info' ? 'info' : first.severity, method: 'other', justification: first.severitySource }],
      description: first.summary,
      affects: [...new Set(group.map((r) => r.purl))].sort().map((ref) => ({ ref })),
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
