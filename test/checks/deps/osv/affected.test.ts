import { describe, expect, it } from 'vitest';
import { evaluateRecord } from '../../../../checks/deps/osv/affected.js';
import { parseOsvRecord } from '../../../../checks/deps/osv/schema.js';
import { advisorySeverity, vulnerabilityKey } from '../../../../checks/deps/osv/severity.js';

const record = (affected: unknown[], extra: Record<string, unknown> = {}) => parseOsvRecord({ id: 'TEST-1', modified: '2026-01-01T00:00:00Z', affected, ...extra });
const pkg = (ecosystem: string, name: string) => ({ ecosystem, name });

describe('OSV affected evaluation', () => {
  it('a two-interval PyPI events array affects only versions inside an interval (Dependency-Track #6988)', () => {
    const django = record([
      { package: pkg('PyPI', 'Django'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.11.19' }, { introduced: '2.0' }, { fixed: '2.0.11' }, { introduced: '2.1' }, { fixed: '2.1.6' }] }] },
    ]);
    const verdicts = Object.fromEntries(['1.11.18', '1.11.19', '1.11.20', '2.0.10', '2.0.11', '2.1.5', '2.1.6', '6.0.4'].map((v) => [v, evaluateRecord(django, 'PyPI', 'django', v).affected]));
    expect(verdicts).toEqual({ '1.11.18': true, '1.11.19': false, '1.11.20': false, '2.0.10': true, '2.0.11': false, '2.1.5': true, '2.1.6': false, '6.0.4': false });
    expect(evaluateRecord(django, 'PyPI', 'django', '2.0.10').fixed).toEqual(['2.0.11']);
  });

  it('last_affected includes its own version; limit caps a range; events out of order are sorted first', () => {
    const lastAffected = record([{ package: pkg('npm', 'a'), ranges: [{ type: 'SEMVER', events: [{ last_affected: '1.5.0' }, { introduced: '1.0.0' }] }] }]);
    expect(['0.9.0', '1.0.0', '1.5.0', '1.5.1'].map((v) => evaluateRecord(lastAffected, 'npm', 'a', v).affected)).toEqual([false, true, true, false]);
    const limited = record([{ package: pkg('npm', 'b'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { limit: '2.0.0' }] }] }]);
    expect(['1.9.9', '2.0.0', '3.0.0'].map((v) => evaluateRecord(limited, 'npm', 'b', v).affected)).toEqual([true, false, false]);
  });

  it('pre-releases inside a range are affected (node-semver satisfies() would hide them)', () => {
    const r = record([{ package: pkg('npm', 'next'), ranges: [{ type: 'SEMVER', events: [{ introduced: '13.0.0-canary.0' }, { fixed: '13.5.1' }] }] }]);
    expect(evaluateRecord(r, 'npm', 'next', '13.5.1-canary.3').affected).toBe(true);
    expect(evaluateRecord(r, 'npm', 'next', '12.9.0').affected).toBe(false);
  });

  it('Go pseudo-versions and the 1.21.0-0 convention order as SemVer pre-releases', () => {
    const r = record([{ package: pkg('Go', 'github.com/x/y'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.9.1-0.20170424173420-06e7a29f36a3' }] }] }]);
    expect(evaluateRecord(r, 'Go', 'github.com/x/y', 'v0.9.0').affected).toBe(true);
    expect(evaluateRecord(r, 'Go', 'github.com/x/y', 'v0.9.1').affected).toBe(false);
    const stdlib = record([{ package: pkg('Go', 'stdlib'), ranges: [{ type: 'SEMVER', events: [{ introduced: '1.21.0-0' }, { fixed: '1.21.5' }] }] }]);
    expect(evaluateRecord(stdlib, 'Go', 'stdlib', '1.21.0-rc.2').affected).toBe(true);
    expect(evaluateRecord(stdlib, 'Go', 'stdlib', '1.20.12').affected).toBe(false);
  });

  it('explicit versions count even when a range parsed, and PEP 440 spellings of a listed version match', () => {
    const r = record([{ package: pkg('PyPI', 'trac'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0.11' }, { fixed: '0.11.2' }] }], versions: ['0.10'] }]);
    expect(evaluateRecord(r, 'PyPI', 'trac', '0.10.0').affected).toBe(true);
    expect(evaluateRecord(r, 'PyPI', 'trac', '0.10.1').affected).toBe(false);
    const spelled = record([{ package: pkg('PyPI', 'x'), versions: ['1.0rc1', '2.0.0.post1'] }]);
    expect(['1.0.0rc1', '1.0RC1', '2.post1', '2.0.post2', '1.0'].map((v) => evaluateRecord(spelled, 'PyPI', 'x', v).affected)).toEqual([true, true, true, false, false]);
    const maven = record([{ package: pkg('Maven', 'g:a'), versions: ['1.0-RC1'] }]);
    expect(evaluateRecord(maven, 'Maven', 'g:a', '1.0.0-rc1').affected).toBe(true);
  });

  it('a bounded NuGet range excludes its fixed version and includes its pre-releases (Dependency-Track #5923)', () => {
    const r = record([{ package: pkg('NuGet', 'Microsoft.AspNetCore.App.Runtime'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '8.0.0-preview.1.23110.8' }, { fixed: '8.0.1' }] }] }]);
    expect(['7.0.15', '8.0.0-preview.1.23110.8', '8.0.0-rc.2.23480.2', '8.0.0', '8.0.1', '8.0.2'].map((v) => evaluateRecord(r, 'NuGet', 'Microsoft.AspNetCore.App.Runtime', v).affected)).toEqual([false, true, true, true, false, false]);
  });

  it('NuGet and Packagist names match without case, as their registries compare them; npm and Maven names are exact', () => {
    const nuget = record([{ package: pkg('NuGet', 'Newtonsoft.Json'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '13.0.1' }] }], versions: ['13.0.1-Beta1'] }]);
    expect(evaluateRecord(nuget, 'NuGet', 'newtonsoft.json', '12.0.3').affected).toBe(true);
    expect(evaluateRecord(nuget, 'NuGet', 'NEWTONSOFT.JSON', '13.0.1').affected).toBe(false);
    // A listed version matches whatever the case of its label, and with a zero fourth segment or build metadata.
    expect(evaluateRecord(nuget, 'NuGet', 'Newtonsoft.Json', '13.0.1-beta1').affected).toBe(true);
    expect(evaluateRecord(record([{ package: pkg('NuGet', 'A'), versions: ['1.2.3'] }]), 'NuGet', 'a', '1.2.3.0+sha.5').affected).toBe(true);
    const composer = record([{ package: pkg('Packagist', 'Symfony/HTTP-Kernel'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '6.4.2' }] }] }]);
    expect(evaluateRecord(composer, 'Packagist', 'symfony/http-kernel', '6.4.1').affected).toBe(true);
    const npm = record([{ package: pkg('npm', 'JSONStream'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }]);
    expect(evaluateRecord(npm, 'npm', 'jsonstream', '1.0.0').affected).toBe(false);
    expect(evaluateRecord(npm, 'npm', 'JSONStream', '1.0.0').affected).toBe(true);
  });

  it('Packagist ranges follow Composer stability order', () => {
    const r = record([{ package: pkg('Packagist', 'typo3/cms-core'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '12.0.0' }, { fixed: '12.4.44' }] }] }]);
    expect(['11.5.50', '12.4.43', '12.4.44-RC1', 'v12.4.44', '12.4.45'].map((v) => evaluateRecord(r, 'Packagist', 'typo3/cms-core', v).affected)).toEqual([false, true, true, false, false]);
  });

  it('RubyGems ECOSYSTEM ranges order pre-releases before the release (Gem::Version)', () => {
    const rack = record([{ package: pkg('RubyGems', 'rack'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.6.3' }] }] }]);
    expect(['2.2.6.2', '2.2.6.3.rc1', '2.2.6.3', '3.0.0'].map((v) => evaluateRecord(rack, 'RubyGems', 'rack', v).affected)).toEqual([true, true, false, false]);
  });

  it('withdrawn records affect nothing; GIT ranges and ecosystems without an order (Mageia) are unevaluated, listed versions still count', () => {
    const withdrawn = record([{ package: pkg('npm', 'a'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }], { withdrawn: '2026-02-01T00:00:00Z' });
    expect(evaluateRecord(withdrawn, 'npm', 'a', '1.0.0').affected).toBe(false);
    const git = record([{ package: pkg('PyPI', 'a'), ranges: [{ type: 'GIT', repo: 'https://example.invalid/a', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] }]);
    expect(evaluateRecord(git, 'PyPI', 'a', '1.0')).toEqual({ affected: false, fixed: [], unevaluated: 1 });
    const mageia = record([{ package: pkg('Mageia:9', 'openssl'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1.mga9' }] }], versions: ['3.0.12-1.mga9'] }]);
    expect(evaluateRecord(mageia, 'Mageia:9', 'openssl', '3.0.12-1.mga9')).toEqual({ affected: true, fixed: [], unevaluated: 1 });
    expect(evaluateRecord(mageia, 'Mageia:9', 'openssl', '3.0.11-1.mga9').affected).toBe(false);
  });

  it('Debian and Alpine records match only their own release, in dpkg and apk order', () => {
    const openssl = record([
      { package: pkg('Debian:12', 'openssl'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }] },
      { package: pkg('Debian:11', 'openssl'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
    ]);
    expect(['3.0.9-1', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', '3.0.11-1', '1:1.0'].map((v) => evaluateRecord(openssl, 'Debian:12', 'openssl', v).affected)).toEqual([true, true, false, false, false]);
    expect(evaluateRecord(openssl, 'Debian:12', 'openssl', '3.0.9-1').fixed).toEqual(['3.0.11-1~deb12u2']);
    // Unfixed in Debian 11: every version there, and nothing in a release no record names.
    expect(evaluateRecord(openssl, 'Debian:11', 'openssl', '9.9.9-1').affected).toBe(true);
    expect(evaluateRecord(openssl, 'Debian:13', 'openssl', '3.0.9-1').affected).toBe(false);
    const musl = record([{ package: pkg('Alpine:v3.18', 'musl'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.4-r2' }] }] }]);
    expect(['1.2.4_rc1-r0', '1.2.4-r1', '1.2.4-r2', '1.2.4_p1-r0', '1.2.5-r0'].map((v) => evaluateRecord(musl, 'Alpine:v3.18', 'musl', v).affected)).toEqual([true, true, false, false, false]);
    expect(evaluateRecord(musl, 'Alpine:v3.19', 'musl', '1.2.4-r1').affected).toBe(false);
  });

  it('refuses a record whose range event has two kinds at once, naming the problem', () => {
    expect(() => parseOsvRecord({ id: 'X', modified: 'm', affected: [{ package: pkg('npm', 'a'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }] })).toThrow(/exactly one of introduced/);
    expect(() => parseOsvRecord({ id: 'X' })).toThrow(/modified/);
  });
});

describe('severity and vulnerability identity', () => {
  it('scores CVSS v3 and v4 vectors with a library, and falls back to the database label', () => {
    expect(advisorySeverity(record([], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }))).toMatchObject({ severity: 'critical', score: 9.8 });
    expect(advisorySeverity(record([], { severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] }))).toMatchObject({ severity: 'critical', score: 9.3 });
    expect(advisorySeverity(record([], { database_specific: { severity: 'MODERATE' } }))).toMatchObject({ severity: 'medium', source: 'database:MODERATE' });
    expect(advisorySeverity(record([]))).toMatchObject({ severity: 'medium', source: 'unknown' });
  });

  it('keys one vulnerability by its CVE, else GHSA, else its own id', () => {
    expect(vulnerabilityKey({ id: 'PYSEC-2021-1', aliases: ['GHSA-xxxx-yyyy-zzzz', 'CVE-2021-2'] })).toBe('CVE-2021-2');
    expect(vulnerabilityKey({ id: 'GO-2022-1', aliases: ['GHSA-aaaa-bbbb-cccc'] })).toBe('GHSA-aaaa-bbbb-cccc');
    expect(vulnerabilityKey({ id: 'RUSTSEC-2020-1', aliases: [] })).toBe('RUSTSEC-2020-1');
  });
});
