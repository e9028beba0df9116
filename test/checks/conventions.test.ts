import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/registry.js';
import { checksMarkdown, README_BEGIN, README_END } from '../../src/cli/commands/checks.js';
import { AREAS } from '../../src/check-api/types.js';

/** Conventions enforced by code, not by a wiki page (ESLint's checkRuleFiles). */
const KNOWN_FRAMEWORKS = ['cis-aws', 'cis-gcp', 'cis-kubernetes', 'cis-gke', 'cis-eks', 'cis-controls', 'cwe', 'mitre-attack', 'aws-fsbp', 'nist-800-53', 'owasp', 'pci-dss'];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'native' || entry.name === 'build' ? [] : walk(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const checkFiles = walk('checks').filter((file) => /\bdefineCheck\(/.test(readFileSync(file, 'utf8')) || /\bdefine\w+Checks?\(/.test(readFileSync(file, 'utf8')));

describe('check conventions', () => {
  it('registers every check file, sorted by id, without duplicates', () => {
    const ids = CHECKS.map((check) => check.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    // Table files (one typed table of a control family, e.g. checks/k8s/pod-security.ts) define many checks; only
    // single-check files must be named after their id.
    const fileNames = checkFiles.filter((file) => /export default defineCheck\(/.test(readFileSync(file, 'utf8'))).map((file) => basename(file, '.ts'));
    for (const name of fileNames) {
      expect(ids.some((id) => id.endsWith(`.${name}`)), `checks file ${name}.ts is not in checks/registry.ts`).toBe(true);
    }
  });

  it.each(CHECKS.map((check) => [check.id, check] as const))('%s: id, file, area, test and references agree', (id, check) => {
    const segments = id.split('.');
    expect(AREAS).toContain(check.area);
    expect(segments[0]).toBe(check.area);
    // A check lives in a file named after its last id segment, or in a table file of its area that spells its id.
    const file =
      checkFiles.find((f) => basename(f, '.ts') === segments.at(-1) && f.split(sep).includes(check.area)) ??
      checkFiles.find((f) => f.split(sep).includes(check.area) && !/export default defineCheck\(/.test(readFileSync(f, 'utf8')) && readFileSync(f, 'utf8').includes(`'${id}'`));
    expect(file, `no file named ${segments.at(-1)}.ts (or table file naming '${id}') under checks/**/${check.area}/`).toBeDefined();
    const testFile = join('test', relative('.', file!)).replace(/\.ts$/, '.test.ts');
    expect(existsSync(testFile), `${testFile} is missing`).toBe(true);
    const testText = readFileSync(testFile, 'utf8');
    expect(testText).toMatch(/checkTester\(/);
    expect(testText).toMatch(/\bfail:\s*\[/);
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.remediation.length).toBeGreaterThan(10);
    expect(check.references.length).toBeGreaterThan(0);
    for (const reference of check.references) {
      expect(KNOWN_FRAMEWORKS, `unknown framework '${reference.framework}' in ${id}`).toContain(reference.framework);
      expect(reference.control).toMatch(/^\S+$/);
    }
  });

  it('keeps the README check table in sync with the metadata (run `npm run readme:checks`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf(README_BEGIN);
    const end = readme.indexOf(README_END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + README_BEGIN.length, end).trim()).toBe(checksMarkdown(CHECKS).trim());
  });
});
