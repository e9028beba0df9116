import { describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.js';

describe('audit tui on the command line', () => {
  test('without a terminal it exits 2 with one line saying what to use instead', async () => {
    const result = await runCli(['tui']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('audit: error: audit tui needs an interactive terminal (use `audit findings` or `audit export` in scripts)\n');
    expect(result.stdout).toBe('');
  });

  test('is listed with its --read-only option', async () => {
    const result = await runCli(['tui', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--read-only');
    expect(result.stdout).toContain('every action (decisions, run now) is disabled');
  });
});
