import { describe, expect, it } from 'vitest';
import { compareMaven } from '../../../../checks/deps/versions/maven.js';
import { orderFor } from '../../../../checks/deps/versions/order.js';

/** Each table is ascending: every version sorts strictly below the next one. Pairs in `equal` are the same version. */
const TABLES: Record<string, { ascending: string[]; equal?: [string, string][] }> = {
  npm: { ascending: ['0.0.1', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.10', '1.10.0', '2.0.0'], equal: [['1.0.0+build.1', '1.0.0']] },
  'crates.io': { ascending: ['0.0.0-0', '0.1.0', '0.9.9', '0.10.0-pre', '0.10.0', '1.0.0'] },
  PyPI: {
    ascending: ['1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1', '1.1', '1.10', '1!0.1'],
    equal: [['1.0', '1.0.0'], ['1.0RC1', '1.0rc1'], ['1.0-1', '1.0.post1']],
  },
  Go: {
    ascending: ['v0.0.0-20180125103619-43913f2f4fbd', 'v1.0.3', 'v1.0.4-0.20180125103619-43913f2f4fbd', 'v1.0.4', '1.21.0-0', '1.21.0-rc.1', '1.21.0', 'v2.0.0+incompatible', 'v2.1.0+incompatible'],
    equal: [['v1.2.3', '1.2.3']],
  },
  RubyGems: { ascending: ['0.9', '1.0.0.a', '1.0.0.beta1', '1.0.0.beta2', '1.0.0.rc1', '1.0.0', '1.0.1', '1.10', '2.0.0.pre', '2.0'], equal: [['1.0', '1.0.0']] },
  NuGet: {
    ascending: ['1.0.0-alpha', '1.0.0-Alpha.2', '1.0.0-alpha.10', '1.0.0-beta', '1.0.0-rc.1', '1.0.0', '1.0.0.1', '1.0.1', '8.0.0-preview.7.23375.6', '8.0.0-rc.1.23419.4', '8.0.0', '8.0.1', '10.0.0'],
    equal: [['1.0', '1.0.0.0'], ['1.0.0-RC.1', '1.0.0-rc.1'], ['1.0.0+build.5', '1.0.0']],
  },
  Packagist: {
    ascending: ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-beta', '1.0.0-beta2', '1.0.0-RC1', '1.0.0', '1.0.0-p1', '1.0.1', '1.0.10', '2.0'],
    equal: [['v1.2.3', '1.2.3'], ['1.2', '1.2.0.0'], ['1.0.0-a1', '1.0.0-alpha1'], ['1.0.0-pl2', '1.0.0-patch2']],
  },
  Maven: {
    ascending: ['1.0-alpha-1', '1.0-alpha-2', '1.0-beta-1', '1.0-milestone-1', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp1', '1.0-cb-5', '1.0.1', '1.1', '1.10', '2.0'],
    equal: [['1.0', '1.0.0'], ['1.0-ga', '1'], ['1.0.Final', '1.0'], ['1.0-cr1', '1.0-rc1'], ['1.0a1', '1.0-alpha-1']],
  },
  // deb-version(7): ~ before everything (even the end), letters before other characters, digit runs as numbers, epochs first.
  Debian: {
    ascending: [
      '0.9',
      '1.0~~',
      '1.0~~a',
      '1.0~alpha',
      '1.0~rc1',
      '1.0',
      '1.0-0.1',
      '1.0-1~bpo12+1',
      '1.0-1',
      '1.0-1+b1',
      '1.0-1+deb12u1',
      '1.0-1.1',
      '1.0a',
      '1.0+dfsg',
      '1.0.1',
      '1.2',
      '1.10',
      '3.0.11-1~deb12u2',
      '3.0.11-1',
      '1:0.1',
      '2:0.0.1',
    ],
    equal: [['1.0', '0:1.0'], ['1.0-0', '1.0'], ['1.01', '1.1'], ['2:1.2.3-04', '2:1.2.3-4']],
  },
  // apk: digits{.digits}{letter}{_suffix{n}}{~hash}{-r#}; pre-release suffixes before the release, post-release after.
  Alpine: {
    ascending: [
      '1.0_alpha1',
      '1.0_alpha2',
      '1.0_beta',
      '1.0_pre1',
      '1.0_rc1',
      '1.0',
      '1.0-r1',
      '1.0-r10',
      '1.0_cvs1',
      '1.0_svn',
      '1.0_git20240101',
      '1.0_hg',
      '1.0_p1',
      '1.0_p2',
      '1.0a',
      '1.0b',
      '1.0.1',
      '1.01',
      '1.1',
      '1.2.3-r0',
      '1.10',
      '3.1.4_p20240101-r0',
      '3.1.4a-r0',
    ],
    equal: [['1.0', '1.0'], ['1.0-r0', '1.0-r0'], ['01.0', '1.0']],
  },
  // rpmvercmp on [epoch:]version-release (cases from rpm's tests/rpmvercmp.at): ~ before everything, even the end;
  // ^ after the end but before any further segment; digits beat letters; leading zeros ignored; epoch first.
  'Rocky Linux': {
    ascending: [
      '1.0~rc1~git123',
      '1.0~rc1',
      '1.0~rc1^git1',
      '1.0~rc2',
      '1.0',
      '1.0-1',
      '1.0-2.el9',
      '1.0-10.el9',
      '1.0-10.el9_2',
      '1.0^',
      '1.0^git1',
      '1.0^git2',
      '1.0^20160101',
      '1.0^20160101^git1',
      '1.0^20160102',
      '1.0a',
      '1.0aa',
      '1.0.1',
      '1.01',
      '2.0',
      '2.0.1',
      '2.0.1a',
      '4.999.9',
      '5.0',
      '5.5p1',
      '5.5p2',
      '5.5p10',
      '5.6p1',
      '6.0',
      '6.0.rc1',
      '6.5p1',
      '10a1',
      '10b2',
      '10xyz',
      '10.1xyz',
      '10.0039',
      '20101121',
      '20101122',
      '1:0.1-1.el9',
      '2:0.0.1-1',
    ],
    equal: [['2.0', '2_0'], ['10.0001', '10.1'], ['0:1.0-1.el9', '1.0-1.el9'], ['1.0-1.el9', '1.0-1_el9'], ['a+', 'a_'], ['+', '_']],
  },
};

describe('version ordering per ecosystem', () => {
  for (const [ecosystem, table] of Object.entries(TABLES)) {
    const order = orderFor(ecosystem, 'ECOSYSTEM')!;
    it(`${ecosystem}: the table is strictly ascending`, () => {
      expect(order).toBeDefined();
      for (let i = 0; i < table.ascending.length; i++) {
        for (let j = i + 1; j < table.ascending.length; j++) {
          expect(order.compare(table.ascending[i]!, table.ascending[j]!), `${table.ascending[i]} < ${table.ascending[j]}`).toBeLessThan(0);
          expect(order.compare(table.ascending[j]!, table.ascending[i]!), `${table.ascending[j]} > ${table.ascending[i]}`).toBeGreaterThan(0);
        }
      }
    });
    if (table.equal) {
      it(`${ecosystem}: different spellings of one version are equal`, () => {
        for (const [a, b] of table.equal!) expect(order.compare(a, b), `${a} == ${b}`).toBe(0);
      });
    }
  }

  it('Maven vendor qualifiers sort after the release they extend (grype #1526, trustify #1517)', () => {
    expect(compareMaven('2.414.2-cb-5', '2.414.2')).toBeGreaterThan(0);
    expect(compareMaven('2.414.2-cb-5', '2.414.3')).toBeLessThan(0);
    expect(compareMaven('1.2.3.Final-redhat-00001', '1.2.3.Final')).toBeGreaterThan(0);
    expect(compareMaven('1.2.3.Final-redhat-00001', '1.2.4')).toBeLessThan(0);
    // vulnerability-match-labels #116, grype #3034, versioneye #729
    expect(compareMaven('1.6.1-hudson-3', '1.6.1')).toBeGreaterThan(0);
    expect(compareMaven('12.4.2.jre11', '12.4.2')).toBeGreaterThan(0);
    expect(compareMaven('12.4.2.jre11', '12.4.3.jre8')).toBeLessThan(0);
    expect(compareMaven('2.6.redhat-6', '2.6')).toBeGreaterThan(0);
    expect(compareMaven('2.6.redhat-6', '2.7')).toBeLessThan(0);
  });

  it("rpm: rpm's own rpmvercmp.at cases, and the distributions that share an order", () => {
    const rpm = orderFor('AlmaLinux:9', 'ECOSYSTEM')!;
    const cases: [string, string, number][] = [
      ['1.0', '2.0', -1], ['2.0.1a', '2.0.1', 1], ['5.5p1', '5.5p10', -1], ['10xyz', '10.1xyz', -1], ['xyz10', 'xyz10.1', -1],
      ['xyz.4', '8', -1], ['xyz.4', '2', -1], ['6.0.rc1', '6.0', 1], ['10b2', '10a1', 1], ['1.0a', '1.0aa', -1],
      ['10.0001', '10.0039', -1], ['4.999.9', '5.0', -1], ['2_0', '2.0', 0], ['_+', '+_', 0],
      ['1.0~rc1', '1.0', -1], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0^', '1.0', 1], ['1.0^git1', '1.01', -1],
      ['1.0^20160101', '1.0.1', -1], ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0~rc1^git1', '1.0~rc1', 1],
      ['1.0^git1~pre', '1.0^git1', -1], ['1.0^git1~pre', '1.0^git1~pre', 0],
    ];
    for (const [a, b, expected] of cases) expect(rpm.compare(a, b), `rpmvercmp(${a}, ${b})`).toBe(expected);
    expect(orderFor('Ubuntu:22.04:LTS', 'ECOSYSTEM')!.name).toBe('debian');
    expect(orderFor('Wolfi', 'ECOSYSTEM')!.name).toBe('alpine');
    expect(orderFor('Chainguard', 'ECOSYSTEM')!.name).toBe('alpine');
  });

  it('SEMVER ranges use SemVer whatever the ecosystem, and unparseable versions are refused, not guessed', () => {
    expect(orderFor('PyPI', 'SEMVER')!.compare('1.2.0', '1.10.0')).toBeLessThan(0);
    expect(() => orderFor('npm', 'ECOSYSTEM')!.compare('1.x', '1.0.0')).toThrow(/not a SemVer version/);
    expect(() => orderFor('PyPI', 'ECOSYSTEM')!.compare('not a version', '1.0')).toThrow(/PEP 440/);
    expect(orderFor('Hex', 'ECOSYSTEM')).toBeUndefined();
    expect(() => orderFor('AlmaLinux:9', 'ECOSYSTEM')!.compare('1:', '1.0')).toThrow(/not an RPM version: '1:'/);
    expect(() => orderFor('Debian:12', 'ECOSYSTEM')!.compare('a1.0', '1.0')).toThrow(/not a Debian version: 'a1.0'/);
    expect(() => orderFor('Alpine:v3.18', 'ECOSYSTEM')!.compare('1.0', '1.0-beta')).toThrow(/not an Alpine version: '1.0-beta'/);
    expect(orderFor('npm', 'GIT')).toBeUndefined();
  });
});
