import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, parseConfig } from '../../src/config/load.js';
import { registry } from '../../checks/registry.js';

function problemOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfig(text, 'vigil.yaml', registry, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

const job = (options: string, extra = '') => `jobs:
  - name: edge
    check: ports.unexpected-open${extra}
    options:
${options}`;

describe('config loading', () => {
  it('accepts the shipped example config', () => {
    const loaded = parseConfig(readFileSync('config.example.yaml', 'utf8'), 'config.example.yaml', registry, {});
    expect(loaded.jobs.map((j) => j.name).slice(0, 2)).toEqual(['loopback-ports', 'web-tier-ports']);
    expect(loaded.jobs.filter((j) => j.schedule && j.enabled).map((j) => j.name)).toEqual(['loopback-ports']);
    expect(loaded.jobs[0]!.schedule).toEqual({ everyMs: 900_000, jitterMs: 10_000 });
    expect(loaded.jobs[0]!.timeoutMs).toBe(300_000);
    expect(loaded.config.defaults.timeout).toBe(1_800_000);
    // Jobs keep their raw options: the runner validates them against the check's schema at run time.
    expect(loaded.jobs[0]!.options).toMatchObject({ groups: [{ name: 'loopback', hosts: ['127.0.0.1', '::1'] }] });
  });

  it('applies defaults to an empty file', () => {
    const loaded = parseConfig('', 'empty.yaml', registry, {});
    expect(loaded.config.store.path).toBe('./vigil.db');
    expect(loaded.jobs).toEqual([]);
  });

  it('names the file, line and key of invalid YAML', () => {
    expect(problemOf('store:\n  path: [unclosed\n')).toMatch(/^vigil\.yaml:\d+: YAML syntax: /);
  });

  it('names an unknown key with its line', () => {
    expect(problemOf('store:\n  path: a.db\n  pth: b.db\n')).toBe("vigil.yaml:3: store.pth: unknown key 'pth'");
  });

  it('names a wrong type with its line', () => {
    expect(problemOf('daemon:\n  maxConcurrentRuns: lots\n')).toMatch(/^vigil\.yaml:2: daemon\.maxConcurrentRuns: .*number/);
  });

  it('names an unknown check id', () => {
    expect(problemOf('jobs:\n  - name: a\n    check: ports.nope\n')).toBe("vigil.yaml:3: jobs[0].check: unknown check or area 'ports.nope' (see `audit checks`)");
  });

  it('expands a job that names an area into one job per check, sharing target, options and schedule', () => {
    const loaded = parseConfig(
      'jobs:\n  - name: edge\n    check: exposure\n    schedule: { every: 1h }\n    options:\n      endpoints: ["127.0.0.1:6379"]\n',
      'vigil.yaml',
      registry,
      {},
    );
    const exposure = registry.select('exposure').map((check) => check.id);
    expect(exposure.length).toBeGreaterThan(5);
    expect(loaded.jobs.map((j) => j.checkId)).toEqual(exposure);
    expect(loaded.jobs.map((j) => j.name)).toEqual(exposure.map((id) => `edge/${id}`));
    expect(new Set(loaded.jobs.map((j) => j.target))).toEqual(new Set(['edge']));
    expect(new Set(loaded.jobs.map((j) => j.schedule?.everyMs))).toEqual(new Set([3_600_000]));
  });

  it("gives a job the check's default schedule when it has none, and none with schedule: manual", () => {
    const deps = (schedule: string) =>
      `jobs:\n  - name: releases\n    check: deps.vulnerable-components\n${schedule}    options:\n      advisories: [{ kind: osv-dir, name: osv, path: ./osv }]\n`;
    // deps promises an alert within one advisory sync interval, 15 minutes unless the job says otherwise.
    expect(parseConfig(deps(''), 'vigil.yaml', registry, {}).jobs[0]!.schedule).toEqual({ everyMs: 900_000, jitterMs: 0 });
    expect(parseConfig(deps('    schedule: { every: 5m }\n'), 'vigil.yaml', registry, {}).jobs[0]!.schedule).toEqual({ everyMs: 300_000, jitterMs: 0 });
    expect(parseConfig(deps('    schedule: manual\n'), 'vigil.yaml', registry, {}).jobs[0]!.schedule).toBeUndefined();
    // A check without a default stays on demand only.
    expect(parseConfig(job('      groups: [{ name: a, hosts: [127.0.0.1] }]\n'), 'vigil.yaml', registry, {}).jobs[0]!.schedule).toBeUndefined();
    expect(problemOf(deps('    schedule: sometimes\n'))).toMatch(/^vigil\.yaml:4: jobs\[0\]\.schedule: /);
  });

  it('reports a bad option of a family job once, not once per check', () => {
    try {
      parseConfig('jobs:\n  - name: edge\n    check: exposure.*\n    options:\n      endpoints: ["nope"]\n', 'vigil.yaml', registry, {});
      throw new Error('expected the config to be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const problems = (error as ConfigValidationError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: 'jobs[0].options.endpoints[0]', line: 5 });
    }
  });

  it('validates check options against the check schema, with the line inside the options', () => {
    const text = job('      groups:\n        - name: web\n          hosts: [10.0.0.0/33]\n');
    expect(problemOf(text)).toMatch(/^vigil\.yaml:7: jobs\[0\]\.options\.groups\[0\]\.hosts\[0\]: '10\.0\.0\.0\/33' is not a valid CIDR/);
  });

  it.each([
    ['0', 'port 0 is out of range'],
    ['70000', 'port 70000 is out of range'],
    ['"90-80"', 'runs backwards'],
    ['top-5', "'top-5' is not a port"],
  ])('rejects port %s', (ports, message) => {
    const text = job(`      ports: ${ports}\n      groups:\n        - name: web\n          hosts: [10.0.0.1]\n`);
    expect(problemOf(text)).toContain(message);
    expect(problemOf(text)).toMatch(/^vigil\.yaml:5: jobs\[0\]\.options\.ports: /);
  });

  it('rejects a bad cron pattern, an unknown time zone and a bad duration', () => {
    const base = '      groups: [{name: a, hosts: [127.0.0.1]}]\n';
    expect(problemOf(job(base, '\n    schedule: { cron: "61 * * * *" }'))).toMatch(/jobs\[0\]\.schedule\.cron: invalid cron pattern/);
    expect(problemOf(job(base, '\n    schedule: { cron: "0 * * * *", timezone: Mars/Olympus }'))).toMatch(/schedule\.timezone: unknown time zone/);
    expect(problemOf(job(base, '\n    schedule: { every: soon }'))).toMatch(/schedule\.every: expected a duration/);
    expect(problemOf(job(base, '\n    schedule: { cron: "0 9 *" }'))).toMatch(/schedule\.cron: invalid cron pattern '0 9 \*': expected 5 fields/);
    expect(problemOf(job(base, '\n    schedule: { every: 5m, cron: "* * * * *" }'))).toMatch(/give exactly one of cron or every/);
  });

  it('rejects duplicate job names', () => {
    const one = '  - name: a\n    check: ports.unexpected-open\n    options: { groups: [{name: g, hosts: [127.0.0.1]}] }\n';
    expect(problemOf(`jobs:\n${one}${one}`)).toMatch(/^vigil\.yaml:5: jobs\[1\]\.name: duplicate job name 'a'/);
  });

  it('interpolates environment variables and reports a missing one at its key and line', () => {
    const text = 'store:\n  path: ${LEDGER_DIR}/vigil.db\nlog:\n  level: ${LEVEL:-warn}\n';
    const loaded = parseConfig(text, 'vigil.yaml', registry, { LEDGER_DIR: '/var/lib/vigil' });
    expect(loaded.config.store.path).toBe('/var/lib/vigil/vigil.db');
    expect(loaded.config.log.level).toBe('warn');
    expect(problemOf(text, {})).toBe('vigil.yaml:2: store.path: environment variable LEDGER_DIR is not set');
    expect(parseConfig('store:\n  path: $${LITERAL}\n', 'v.yaml', registry, {}).config.store.path).toBe('${LITERAL}');
  });

  it('counts further problems in the one-line message', () => {
    expect(problemOf('store:\n  a: 1\n  b: 2\n')).toBe("vigil.yaml:2: store.a: unknown key 'a' (and 1 more)");
  });
});
