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
    const vex = buildCycloneDxVex([row({}), row({ version: '1.1.0', purl: 'pkg:npm/lodash@4.17.20' })], { vex: statements, privateRegistries: [] }, new Date('2026-11-23T00:00:00Z')) as { vulnerabilities: Record<string, unknown>[] };
    expect(vex).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { timestamp: '2026-11-23T00:00:00.000Z' } });
    expect(vex.vulnerabilities).toEqual([
      expect.objectContaining({ id: 'CVE-2021-23337', affects: [{ ref: 'pkg:npm/lodash@4.17.20' }], properties: [{ name: 'vigil:artifact', value: 'releases/web@1.0.0' }], analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'template() unused' }, references: [{ id: 'GHSA-35jh-r3h4-6jhm', source: { name: 'OSV' } }] }),
      expect.objectContaining({ id: 'CVE-2021-23337', properties: [{ name: 'vigil:artifact', value: 'releases/web@1.1.0' }], analysis: { state: 'in_triage' } }),
    ]);
  });

  it('groups advisories linked by an alias chain into one vulnerability, as the findings do', () => {
    // RUSTSEC-2026-0001 has no aliases; GHSA-aaaa links it to CVE-2026-1000: one flaw, three records, one VEX entry.
    const crate = { ecosystem: 'crates.io', packageName: 'hyper', packageVersion: '0.14.1', purl: 'pkg:cargo/hyper@0.14.1', summary: '' };
    const rows = [
      row({ ...crate, advisoryId: 'RUSTSEC-2026-0001', vulnKey: 'RUSTSEC-2026-0001', aliases: [], severity: 'medium', severitySource: 'default' }),
      row({ ...crate, advisoryId: 'GHSA-aaaa-bbbb-cccc', vulnKey: 'CVE-2026-1000', aliases: ['CVE-2026-1000', 'RUSTSEC-2026-0001'], severity: 'critical', severitySource: 'cvss:3.1', summary: 'Request smuggling' }),
      row({ ...crate, advisoryId: 'CVE-2026-1000', vulnKey: 'CVE-2026-1000', aliases: [], severity: 'high', severitySource: 'cvss:3.1' }),
    ];
    const vex = buildCycloneDxVex(rows, { vex: [], privateRegistries: [] }, new Date()) as { vulnerabilities: Record<string, unknown>[] };
    expect(vex.vulnerabilities).toHaveLength(1);
    expect(vex.vulnerabilities[0]).toMatchObject({
      id: 'CVE-2026-1000',
      references: [{ id: 'GHSA-aaaa-bbbb-cccc' }, { id: 'RUSTSEC-2026-0001' }],
      ratings: [{ severity: 'critical' }],
      description: 'Request smuggling',
      affects: [{ ref: 'pkg:cargo/hyper@0.14.1' }],
      analysis: { state: 'in_triage' },
    });
    // A statement naming the alias-less RUSTSEC id covers the whole chain.
    const covered = buildCycloneDxVex(rows, { vex: [vexStatement.parse({ vulnerability: 'RUSTSEC-2026-0001', justification: 'code_not_present', detail: 'http1 feature off' })], privateRegistries: [] }, new Date()) as { vulnerabilities: Record<string, unknown>[] };
    expect(covered.vulnerabilities.map((v) => (v.analysis as { state: string }).state)).toEqual(['not_affected']);
  });

  it('splits one vulnerability by statement when a statement names one package, and leaves private-registry matches out', () => {
    const rows = [
      row({}),
      row({ packageName: 'lodash-es', purl: 'pkg:npm/lodash-es@4.17.20' }),
      row({ packageName: 'internal-lodash', purl: 'pkg:npm/internal-lodash@1.0.0', registry: 'https://npm.corp.example/' }),
    ];
    const statements = [vexStatement.parse({ vulnerability: 'GHSA-35jh-r3h4-6jhm', package: 'lodash-es', justification: 'code_not_reachable', detail: 'only debounce() used' })];
    const vex = buildCycloneDxVex(rows, { vex: statements, privateRegistries: ['https://npm.corp.example/'] }, new Date()) as { vulnerabilities: { affects: { ref: string }[]; analysis: { state: string } }[] };
    expect(vex.vulnerabilities.map((v) => [v.affects.map((a) => a.ref), v.analysis.state])).toEqual([
      [['pkg:npm/lodash@4.17.20'], 'in_triage'],
      [['pkg:npm/lodash-es@4.17.20'], 'not_affected'],
    ]);
  });

  it('refuses a statement without a justification or a detail', () => {
    expect(vexStatement.safeParse({ vulnerability: 'CVE-1', justification: 'because', detail: 'x' }).success).toBe(false);
    expect(vexStatement.safeParse({ vulnerability: 'CVE-1', justification: 'code_not_present', detail: '' }).error?.issues[0]?.message).toMatch(/say why/);
  });
});
