import { checkTester } from '../../support/check-tester.js';
import check from '../../../checks/deps/vulnerable-components.js';
import type { MatchRow } from '../../../checks/deps/store/inventory-store.js';
import type { AnyCheck } from '../../../src/check-api/types.js';

const options = { inventoryDb: '/unused.db', sources: [{ kind: 'local', name: 'releases', path: '/srv/releases' }], advisories: [{ kind: 'osv-dir', name: 'osv', path: '/srv/osv' }] };

function match(overrides: Partial<MatchRow>): MatchRow {
  return {
    source: 'releases',
    artifact: 'web',
    version: '1.0.0',
    location: '/srv/releases/web/1.0.0',
    ecosystem: 'npm',
    packageName: 'lodash',
    packageVersion: '4.17.20',
    purl: 'pkg:npm/lodash@4.17.20',
    direct: true,
    path: ['lodash'],
    registry: 'https://registry.npmjs.org',
    advisoryId: 'GHSA-35jh-r3h4-6jhm',
    vulnKey: 'CVE-2021-23337',
    aliases: ['CVE-2021-23337'],
    severity: 'high',
    severitySource: 'CVSS_V3:CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
    summary: 'Command injection in lodash',
    fixed: ['4.17.21'],
    ...overrides,
  };
}

const inventory = (matches: MatchRow[]) => ({ inventory: { matches, mode: 'full' as const, versionsReported: 2, pairsReported: 2, resolutions: [], artifactVersions: 2, parsedNow: 0 } });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'no component matches an advisory', options, inventory: inventory([]) },
    {
      name: 'a package resolved from a private registry is not matched against a public advisory about its name',
      options: { ...options, privateRegistries: ['https://npm.internal.example'] },
      inventory: inventory([match({ registry: 'https://npm.internal.example', packageName: 'internal-utils', vulnKey: 'MAL-2024-1' })]),
    },
    {
      name: 'a VEX statement naming any id of an alias chain suppresses the whole vulnerability',
      options: { ...options, vex: [{ vulnerability: 'RUSTSEC-2020-0071', justification: 'code_not_reachable', detail: 'no local-time calls' }] },
      inventory: inventory([
        match({ ecosystem: 'crates.io', packageName: 'time', advisoryId: 'RUSTSEC-2020-0071', vulnKey: 'RUSTSEC-2020-0071', aliases: [] }),
        match({ ecosystem: 'crates.io', packageName: 'time', advisoryId: 'GHSA-wcg3-cvx6-7396', vulnKey: 'CVE-2020-26235', aliases: ['CVE-2020-26235'] }),
        match({ ecosystem: 'crates.io', packageName: 'time', advisoryId: 'OSV-2020-1', vulnKey: 'OSV-2020-1', aliases: ['RUSTSEC-2020-0071', 'GHSA-wcg3-cvx6-7396'] }),
      ]),
    },
    {
      name: 'a VEX not_affected statement for one artifact suppresses the vulnerability there (matched through an alias)',
      options: { ...options, vex: [{ vulnerability: 'GHSA-35jh-r3h4-6jhm', artifact: 'web', justification: 'code_not_reachable', detail: 'template() is never called' }] },
      inventory: inventory([match({}), match({ version: '1.1.0' })]),
    },
  ],
  fail: [
    {
      name: 'one finding per artifact version, vulnerability and package',
      options,
      inventory: inventory([match({}), match({ version: '1.1.0', location: '/srv/releases/web/1.1.0' })]),
      findings: [
        { resourceId: 'releases/web@1.0.0', key: 'CVE-2021-23337 npm/lodash', severity: 'high', scope: 'source:releases/web@1.0.0#npm/lodash', title: 'lodash@4.17.20 is affected by CVE-2021-23337' },
        { resourceId: 'releases/web@1.1.0', key: 'CVE-2021-23337 npm/lodash', severity: 'high' },
      ],
    },
    {
      name: 'a VEX statement scoped to another artifact or package leaves the finding',
      options: {
        ...options,
        vex: [
          { vulnerability: 'CVE-2021-23337', artifact: 'api', justification: 'code_not_present', detail: 'not bundled' },
          { vulnerability: 'CVE-2021-23337', artifact: 'web@1.1.0', package: 'lodash-es', justification: 'code_not_present', detail: 'other package' },
        ],
      },
      inventory: inventory([match({ version: '1.1.0' })]),
      findings: [{ resourceId: 'releases/web@1.1.0', key: 'CVE-2021-23337 npm/lodash', severity: 'high' }],
    },
    {
      name: 'aliases of one vulnerability from two databases make one finding with the highest severity',
      options,
      inventory: inventory([
        match({ ecosystem: 'PyPI', packageName: 'django', packageVersion: '4.2.0', advisoryId: 'PYSEC-2023-100', severity: 'medium', fixed: ['4.2.2'] }),
        match({ ecosystem: 'PyPI', packageName: 'django', packageVersion: '4.2.0', advisoryId: 'GHSA-aaaa-bbbb-cccc', severity: 'critical', fixed: ['4.2.2'] }),
      ]),
      findings: [{ resourceId: 'releases/web@1.0.0', key: 'CVE-2021-23337 PyPI/django', severity: 'critical' }],
    },
    {
      name: 'records linked only through an alias chain are one vulnerability (RUSTSEC without aliases, GHSA aliasing it and a CVE)',
      options,
      inventory: inventory([
        match({ ecosystem: 'crates.io', packageName: 'time', packageVersion: '0.1.43', advisoryId: 'RUSTSEC-2020-0071', vulnKey: 'RUSTSEC-2020-0071', aliases: [], severity: 'medium' }),
        match({ ecosystem: 'crates.io', packageName: 'time', packageVersion: '0.1.43', advisoryId: 'GHSA-wcg3-cvx6-7396', vulnKey: 'CVE-2020-26235', aliases: ['CVE-2020-26235', 'RUSTSEC-2020-0071'], severity: 'medium' }),
        match({ ecosystem: 'crates.io', packageName: 'time', packageVersion: '0.1.43', advisoryId: 'RUSTSEC-2099-0001', vulnKey: 'RUSTSEC-2099-0001', aliases: [], severity: 'low' }),
      ]),
      findings: [
        { resourceId: 'releases/web@1.0.0', key: 'CVE-2020-26235 crates.io/time', severity: 'medium' },
        { resourceId: 'releases/web@1.0.0', key: 'RUSTSEC-2099-0001 crates.io/time', severity: 'low' },
      ],
    },
    {
      name: 'a transitive copy at two versions in one artifact is one finding listing both',
      options,
      inventory: inventory([
        match({ direct: false, path: ['express', 'qs'], packageName: 'qs', packageVersion: '6.5.2', advisoryId: 'GHSA-hrpp-h998-j3pp', vulnKey: 'CVE-2022-24999', aliases: ['CVE-2022-24999'], fixed: ['6.5.3'] }),
        match({ direct: false, path: ['body-parser', 'qs'], packageName: 'qs', packageVersion: '6.7.0', advisoryId: 'GHSA-hrpp-h998-j3pp', vulnKey: 'CVE-2022-24999', aliases: ['CVE-2022-24999'], fixed: ['6.7.3'] }),
      ]),
      findings: [{ resourceId: 'releases/web@1.0.0', key: 'CVE-2022-24999 npm/qs', severity: 'high', title: 'qs@6.5.2, 6.7.0' }],
    },
  ],
  partial: [
    {
      name: 'an advisory feed that cannot be read makes the run partial',
      options,
      collected: {
        inventory: {
          data: { matches: [match({})], mode: 'full', versionsReported: 1, pairsReported: 1, resolutions: [], artifactVersions: 1, parsedNow: 0 },
          coverage: { ok: ['source:releases'], failed: [{ scope: 'advisories:osv', error: { name: 'CollectorUnreachable', message: 'advisory directory /srv/osv: ENOENT' } }] },
        },
      },
      failedScopes: ['advisories:osv'],
    },
  ],
});
