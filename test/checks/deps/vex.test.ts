import { describe, expect, it } from 'vitest';
import { vexStatement } from '../../../checks/deps/options.js';
import type { MatchRow } from '../../../checks/deps/store/inventory-store.js';
import { buildCycloneDxVex } from '../../../checks/deps/vex.js';

const row = (overrides: Partial<MatchRow>): MatchRow => ({
  source: 'releases', artifact: 'web', version: '1.0.0', location: '', ecosystem: 'npm', packageName: 'lodash', packageVersion: '4.17.20',
  purl: 'pkg:npm/lodash@4.17.20', direct: true, path: ['lodash'], registry: '', advisoryId: 'GHSA-35jh-r3h4-6jhm', vulnKey: 'CVE-2021-23337',
  aliases: ['CVE-2021-23337'], severity: 'high', severitySource: 'database:HIGH', summary: 'Command injection in lodash', fixed: ['4.17.21'], ...overrides,
});

describe('CycloneDX VEX export', () => {
  it('marks covered matches not_affected with their justification and the rest in_triage', () => {
    const statements = [vexStatement.parse({ vulnerability: 'CVE-2021-23337', artifact: 'web@1.0.0', justification: 'code_not_reachable', detail: 'template() unused' })];
    const vex = buildCycloneDxVex([row({}), row({ version: '1.1.0', purl: 'pkg:npm/lodash@4.17.20' })], statements, new Date('2026-11-23T00:00:00Z')) as { vulnerabilities: Record<string, unknown>[] };
    expect(vex).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { timestamp: '2026-11-23T00:00:00.000Z' } });
    expect(vex.vulnerabilities).toEqual([
      expect.objectContaining({ id: 'CVE-2021-23337', affects: [{ ref: 'pkg:npm/lodash@4.17.20' }], properties: [{ name: 'vigil:artifact', value: 'releases/web@1.0.0' }], analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'template() unused' }, references: [{ id: 'GHSA-35jh-r3h4-6jhm', source: { name: 'OSV' } }] }),
      expect.objectContaining({ id: 'CVE-2021-23337', properties: [{ name: 'vigil:artifact', value: 'releases/web@1.1.0' }], analysis: { state: 'in_triage' } }),
    ]);
  });

  it('refuses a statement without a justification or a detail', () => {
    expect(vexStatement.safeParse({ vulnerability: 'CVE-1', justification: 'because', detail: 'x' }).success).toBe(false);
    expect(vexStatement.safeParse({ vulnerability: 'CVE-1', justification: 'code_not_present', detail: '' }).error?.issues[0]?.message).toMatch(/say why/);
  });
});
