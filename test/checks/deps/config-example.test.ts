import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { vulnerableComponentsOptions } from '../../../checks/deps/options.js';

describe('config.example.yaml deps block', () => {
  it('the commented-out released-artifacts job is valid deps.vulnerable-components options', () => {
    const lines = readFileSync('config.example.yaml', 'utf8').split('\n');
    const start = lines.findIndex((line) => line.includes('- name: released-artifacts'));
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (let i = start; i < lines.length && lines[i]!.startsWith('  #'); i++) block.push(lines[i]!.replace(/^ {2}# ?/, ''));
    const [job] = parse(block.join('\n')) as { check: string; options: unknown }[];
    expect(job!.check).toBe('deps.vulnerable-components');
    const parsed = vulnerableComponentsOptions.safeParse(job!.options);
    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.sources.map((s) => s.kind)).toEqual(['local', 'nexus', 'http-dir', 'npm', 's3']);
  });
});
