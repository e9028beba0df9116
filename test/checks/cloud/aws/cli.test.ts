import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const FIXTURE = 'test/fixtures/inventories/aws/two-accounts.json';
const dir = mkdtempSync(join(tmpdir(), 'vigil-aws-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const audit = (...args: string[]) => spawnSync(process.execPath, ['dist/src/cli/index.js', ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_CONFIG: '' }, timeout: 60_000 });

describe('audit run aws --inventory (built binary, recorded inventory, no AWS call)', () => {
  it('prints findings as JSON with the per-control CIS result; exit 2 because one opt-in region was not read', () => {
    const run = audit('run', 'aws', '--inventory', FIXTURE, '--no-store', '--format', 'json', '--fail-on', 'none');
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout) as { findings: { checkId: string }[]; compliance: { cisAws: { rows: { v3: string | null; title: string; result: string }[]; counts: Record<string, number> } } };
    const result = (v3: string) => report.compliance.cisAws.rows.find((r) => r.v3 === v3)!.result;
    // 2.2.1: sa-east-1 has EBS default encryption off in both accounts; 5.4: every default group keeps its egress rule.
    expect([result('2.2.1'), result('5.4'), result('1.4'), result('1.1')]).toEqual(['fail', 'fail', 'pass', 'manual']);
    // The member's af-south-1 refused the credentials: regional controls without a finding are unknown, never pass.
    expect(result('2.4.1')).toBe('unknown');
    expect(result('3.1')).toBe('unknown');
    // v4/v5 5.1.2 CIFS: no security group admits the internet to 139/445 where read, but af-south-1 was not read.
    expect(report.compliance.cisAws.rows.find((r) => r.v3 === null && r.title.startsWith('CIFS'))!.result).toBe('unknown');
    expect(report.compliance.cisAws.counts).toEqual({ pass: 11, fail: 32, unknown: 13, manual: 8, 'not-run': 0 });
    expect(run.stderr).toContain('not covered: aws:222222222222/af-south-1');
  });

  it('prints the CIS summary table on stderr in table mode', () => {
    const run = audit('run', 'aws.ec2', '--inventory', FIXTURE, '--no-store', '--fail-on', 'none');
    expect(run.stderr).toMatch(/2\.2\.1\s+5\.1\.1\s+5\.1\.1\s+fail\s+2\s+aws\.ec2\.ebs-default-encryption/);
    expect(run.stderr).toMatch(/pass \d+, fail \d+, unknown \d+, manual 8, not run \d+; score/);
  });

  it('refuses a malformed inventory with one line naming the file and the path', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'vigil-aws-inventory/1', collectedAt: 'yesterday', options: {}, collections: {} }));
    const run = audit('run', 'aws', '--inventory', bad, '--no-store');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`--inventory ${bad}: collectedAt:`);
  });

  it('derives the per-control result from the ledger with `audit checks --cis-aws --results`', () => {
    const db = join(dir, 'ledger.db');
    expect(audit('--db', db, 'run', 'aws', '--inventory', FIXTURE, '--fail-on', 'none', '--format', 'json').status).toBe(2);
    const run = audit('--db', db, 'checks', '--cis-aws', '--results', '--format', 'json');
    const summary = JSON.parse(run.stdout) as { counts: Record<string, number>; rows: { v3: string | null; result: string }[] };
    expect(summary.counts).toEqual({ pass: 11, fail: 32, unknown: 13, manual: 8, 'not-run': 0 });
    expect(summary.rows.find((r) => r.v3 === '2.2.1')!.result).toBe('fail');
  });

  it('lists manual controls with `audit checks --cis-aws`', () => {
    const run = audit('checks', '--cis-aws', '--format', 'json');
    const rows = JSON.parse(run.stdout) as { v3: string | null; check: string | null }[];
    expect(rows.filter((r) => r.check === null).map((r) => r.v3 ?? 'v4-only')).toEqual(['1.1', '1.2', '1.3', '1.21', '1.22', '2.1.3', '5.5', 'v4-only']);
  });

  it('shows the v5.0.0 id and both sources\' v5 assessment in the `audit checks --cis-aws` table', () => {
    const run = audit('checks', '--cis-aws');
    expect(run.status).toBe(0);
    const header = run.stdout.split('\n').find((line) => line.includes('V3.0.0'))!;
    expect(header.split('│').map((cell) => cell.trim()).filter(Boolean)).toEqual(['V3.0.0', 'V4.0.1', 'V5.0.0', 'LEVEL', 'V3 AUTOMATED?', 'V4 AUTOMATED?', 'V5 AUTOMATED?', 'CHECK', 'TITLE']);
    const rootKeys = run.stdout.split('\n').find((line) => line.includes('aws.iam.root-access-keys'))!;
    expect(rootKeys.split('│').map((cell) => cell.trim()).slice(1, 5)).toEqual(['1.4', '1.4', '1.3', 'L1']);
    expect(run.stdout).toContain('manual (Prowler) / automated (Steampipe)');
  });
});
