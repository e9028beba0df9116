import { defineCheck } from '../../src/check-api/define-check.js';
import { SEVERITIES, severityRank, type FindingInput, type ResolutionReason, type Severity } from '../../src/check-api/types.js';
import { lazyCollector } from '../../src/check-api/lazy.js';
import { componentScope } from './source-scope.js';
import { vulnerableComponentsOptions } from './options.js';
import type { MatchRow } from './store/inventory-store.js';
import { groupVex, privateRegistryTest } from './vex.js';
import { vulnerabilityGroups, type VulnerabilityGroup } from './aliases.js';

export default defineCheck({
  id: 'deps.vulnerable-components',
  title: 'Released artifacts contain no component with a known vulnerability',
  area: 'deps',
  severity: 'high',
  description:
    'Keeps an inventory of every released artifact version (lockfiles and SBOMs, parsed once) and matches it against a ' +
    'local mirror of OSV advisories whenever either changes, reporting one finding per artifact version, vulnerability ' +
    'and package. A release that was clean when it shipped becomes a finding the day an advisory about one of its ' +
    'components is published.',
  remediation:
    'Release a new version with the component upgraded to a fixed version (listed in the finding), or record a decision ' +
    'if the vulnerable code is not reachable in this artifact.',
  references: [
    { framework: 'owasp', version: '2021', control: 'A06', title: 'Vulnerable and outdated components' },
    { framework: 'cis-controls', version: '8', control: '16.4', title: 'Establish and manage an inventory of third-party software components' },
    { framework: 'cwe', control: 'CWE-1395', title: 'Dependency on vulnerable third-party component' },
  ],
  options: vulnerableComponentsOptions,
  // The issue's promise: an advisory is an alert within one sync interval (plus one run) of appearing upstream.
  defaultSchedule: { everyMs: 15 * 60_000 },
  needs: { inventory: lazyCollector(async () => (await import('./collect/inventory.js')).collectDepsInventory) },
  evaluate({ inventory }, options) {
    const isPrivate = privateRegistryTest(options.privateRegistries);
    return vulnerabilityGroups(inventory.matches.filter((row) => !isPrivate(row.registry)))
      .filter((group) => !groupVex(options.vex, group))
      .map((group) => findingOf(group));
  },
  resolutionReasons({ inventory }, options) {
    // The match log's reasons (retracted, fixed, removed), then the options' own: matches still present that a
    // private registry or a VEX statement keeps from being findings.
    const isPrivate = privateRegistryTest(options.privateRegistries);
    const reasons: ResolutionReason[] = [...inventory.resolutions];
    const reason = (row: MatchRow, key: string, why: string) => reasons.push({ resourceId: `${row.source}/${row.artifact}@${row.version}`, key: `${key} ${row.ecosystem}/${row.packageName}`, reason: why });
    for (const row of inventory.matches) if (isPrivate(row.registry)) reason(row, row.vulnKey, `private registry: ${row.packageName} is resolved from ${row.registry}`);
    // Grouping a full pass's 20,000 matches a second time only to find no statement is most of a first run's garbage.
    if (options.vex.length === 0) return reasons;
    for (const group of vulnerabilityGroups(inventory.matches.filter((row) => !isPrivate(row.registry)))) {
      const statement = groupVex(options.vex, group);
      if (statement) reason(group.rows[0]!, group.key, `not_affected (VEX): ${statement.justification}: ${statement.detail}`);
    }
    return reasons;
  },
});

const uniq = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/** One vulnerability in one package of one artifact version, however many advisories and installed copies say so. */
function findingOf(group: VulnerabilityGroup): FindingInput {
  const rows = group.rows;
  const first = rows[0]!;
  const vulnKey = group.key;
  const severity = rows.map((r) => r.severity as Severity).filter((s) => SEVERITIES.includes(s)).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'medium';
  const installed = uniq(rows.map((r) => r.packageVersion)).sort();
  const fixed = uniq(rows.flatMap((r) => r.fixed)).sort();
  const advisories = uniq(rows.map((r) => r.advisoryId)).sort();
  const aliases = [...group.ids].filter((id) => id !== group.key).sort();
  const direct = rows.some((r) => r.direct);
  const paths = uniq(rows.map((r) => r.path.join(' > ')));
  const resourceId = `${first.source}/${first.artifact}@${first.version}`;
  return {
    resourceId,
    key: `${vulnKey} ${first.ecosystem}/${first.packageName}`,
    scope: componentScope(first.source, first.artifact, first.version, first.ecosystem, first.packageName),
    title: `${first.artifact}@${first.version}: ${first.packageName}@${installed.join(', ')} is affected by ${vulnKey}${first.summary ? ` (${first.summary})` : ''}`,
    severity,
    evidence: {
      artifact: first.artifact,
      artifactVersion: first.version,
      source: first.source,
      vulnerability: vulnKey,
      advisories,
      aliases,
      ecosystem: first.ecosystem,
      package: first.packageName,
      installedVersions: installed,
      purls: uniq(rows.map((r) => r.purl)).sort(),
      fixedVersions: fixed,
      direct,
      dependencyPaths: paths,
      registries: uniq(rows.map((r) => r.registry).filter((r) => r !== '')).sort(),
      severitySource: uniq(rows.map((r) => r.severitySource)).sort(),
    },
    location: /^https?:\/\//.test(first.location) ? { url: first.location } : { file: first.location },
    remediation:
      fixed.length > 0
        ? `Upgrade ${first.packageName} to ${fixed.join(' or ')} or later${direct ? '' : ` (pulled in via ${paths[0]})`} and release a new version of ${first.artifact}.`
        : `No fixed version of ${first.packageName} is published; remove or replace it, or record a decision if ${first.artifact} does not use the affected code.`,
    tags: [`ecosystem:${first.ecosystem}`, direct ? 'dependency:direct' : 'dependency:transitive', ...advisories.map((id) => `advisory:${id}`)],
  };
}
