import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openStore } from '../../../src/store/db.js';
import { runCli } from '../../cli/run-cli.js';
import { useTempDir } from '../../builders/temp-dir.js';
import { AwsFake } from '../../fakes/aws/server.js';
import { ACCOUNTS, MANAGEMENT, MEMBER, protectedOrg } from './aws-harness.js';

/**
 * The built `audit` binary against the AWS fake: the SDK's standard AWS_ENDPOINT_URL and static keys in the
 * environment are all it takes, so this is the path a user's CLI and daemon take, not a test seam.
 */
describe('audit killswitch baseline / audit run killswitch.* (built binary, AWS fake)', () => {
  const tempDir = useTempDir('vigil-ks-cli-');
  let fake: AwsFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('captures a baseline, then (enforce mode) fixes a suspended detector, recording it in the ledger', { timeout: 90_000 }, async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    const dir = tempDir();
    const env = { AWS_ENDPOINT_URL: fake.endpoint, AWS_ACCESS_KEY_ID: AwsFake.credentials(MANAGEMENT).accessKeyId, AWS_SECRET_ACCESS_KEY: 'fake-secret', AWS_REGION: 'us-east-1' };
    const configFor = (mode: string, baseline: unknown) =>
      JSON.stringify({ store: { path: join(dir, 'ledger.db') }, jobs: [{ name: 'aws-gd', check: 'killswitch.guardduty-enabled', options: { mode, accounts: ACCOUNTS, ...(baseline ? { baseline } : {}) } }] });
    const configPath = join(dir, 'vigil.yaml');
    writeFileSync(configPath, configFor('detect', undefined));

    const captured = await runCli(['--config', configPath, 'killswitch', 'baseline', 'aws-gd'], { env });
    expect(captured.code, captured.stderr).toBe(0);
    const { baseline } = parse(captured.stdout) as { baseline: { features: { name: string }[] } };
    expect(baseline.features.map((f) => f.name)).toContain('S3_DATA_EVENTS');
    expect(fake.writes()).toEqual([]);

    fake.world.suspendDetector(MEMBER, 'eu-west-1');
    writeFileSync(configPath, configFor('enforce', baseline));
    const enforce = await runCli(['--config', configPath, 'run', 'killswitch.guardduty-enabled', '--format', 'json', '--fail-on', 'none'], { env });
    expect(enforce.code).toBe(0);
    expect(fake.writes().map((c) => `${c.account}/${c.region} ${c.action}`)).toEqual([`${MEMBER}/eu-west-1 UpdateDetector`]);
    expect(fake.world.region(MEMBER, 'eu-west-1').detector!.status).toBe('ENABLED');

    const db = openStore(join(dir, 'ledger.db'));
    const events = db.prepare(`SELECT e.type FROM finding_events e JOIN findings f ON f.fingerprint = e.fingerprint WHERE f.resource_id = ? ORDER BY e.id`).all(`aws:${MEMBER}/eu-west-1/guardduty/detector`);
    expect(events).toEqual([{ type: 'new' }, { type: 'remediated' }]);
    db.close();
  });

  it('--approve stores the captured baseline in the ledger; runs without options.baseline restore from it; --history, --from and --revert keep every version', { timeout: 120_000 }, async () => {
    const org = await protectedOrg({ regions: ['us-east-1', 'eu-west-1'] });
    fake = org.fake;
    const dir = tempDir();
    const env = { AWS_ENDPOINT_URL: fake.endpoint, AWS_ACCESS_KEY_ID: AwsFake.credentials(MANAGEMENT).accessKeyId, AWS_SECRET_ACCESS_KEY: 'fake-secret', AWS_REGION: 'us-east-1' };
    const configPath = join(dir, 'vigil.yaml');
    // A family job: one baseline per kind (both GuardDuty checks share one), keyed by the job name.
    // Run as the organization's GuardDuty delegated administrator: one account sees every member.
    fake.world.makeGuardDutyAdmin(MANAGEMENT);
    writeFileSync(configPath, JSON.stringify({ store: { path: join(dir, 'ledger.db') }, jobs: [{ name: 'aws-ks', check: 'killswitch.guardduty-*', options: { mode: 'enforce', accounts: [ACCOUNTS[0]] } }] }));
    const cli = (...args: string[]) => runCli(['--config', configPath, ...args], { env, timeoutMs: 60_000 });

    const approve = await cli('killswitch', 'baseline', 'aws-ks', '--approve', '--by', 'alice', '--reason', 'initial');
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout.trim().split('\n').sort()).toEqual(['guardduty baseline of aws-ks: approved v1 (capture, by alice)', 'guardduty-members baseline of aws-ks: approved v1 (capture, by alice)']);
    expect((await cli('killswitch', 'baseline', 'aws-ks', '--approve', '--by', 'alice')).stdout).toContain('unchanged, v1 stays active');
    expect(fake.writes()).toEqual([]);

    fake.world.suspendDetector(MANAGEMENT, 'eu-west-1');
    const run = await cli('run', 'killswitch.guardduty-enabled', '--format', 'json', '--fail-on', 'none');
    expect(run.code, run.stderr).toBe(0);
    expect(fake.writes().map((c) => `${c.account}/${c.region} ${c.action}`)).toEqual([`${MANAGEMENT}/eu-west-1 UpdateDetector`]);
    expect(fake.writes()[0]!.body.features.map((f: { name: string }) => f.name)).toContain('S3_DATA_EVENTS');

    const edited = join(dir, 'edited.yaml');
    writeFileSync(edited, 'baseline:\n  findingPublishingFrequency: SIX_HOURS\n  features: [{ name: S3_DATA_EVENTS }]\n');
    const twoKinds = await cli('killswitch', 'baseline', 'aws-ks', '--from', edited);
    expect([twoKinds.code, twoKinds.stderr.trim()]).toEqual([2, expect.stringContaining('has 2 kinds (guardduty, guardduty-members)')]);
    const fromFile = await cli('killswitch', 'baseline', 'aws-ks/killswitch.guardduty-enabled', '--from', edited, '--reason', 'reviewed');
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toContain('approved v2 (file');
    const revert = await cli('killswitch', 'baseline', 'aws-ks/killswitch.guardduty-enabled', '--revert', '1');
    expect(revert.stdout).toContain('approved v3 (revert');
    const history = await cli('killswitch', 'baseline', 'aws-ks/killswitch.guardduty-enabled', '--history');
    expect(history.stdout.split('\n').filter((l) => /^\s+v\d/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 1).concat(l.includes('revert to v1') ? ['revert'] : []))).toEqual([['v3', 'revert'], ['v2'], ['v1']]);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'baseline:\n  features: [{ name: NOPE }]\n');
    const refused = await cli('killswitch', 'baseline', 'aws-ks/killswitch.guardduty-enabled', '--from', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('baseline.features.0.name');

    const db = openStore(join(dir, 'ledger.db'));
    expect(db.prepare(`SELECT version, source, approved_by AS approvedBy FROM killswitch_baselines WHERE kind = 'guardduty' ORDER BY version`).all()).toEqual([
      { version: 1, source: 'capture', approvedBy: 'alice' },
      { version: 2, source: 'file', approvedBy: expect.any(String) },
      { version: 3, source: 'revert', approvedBy: expect.any(String) },
    ]);
    db.close();
  });

  it('an unknown job or a job without a baseline is a one-line error with exit 2', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const configPath = join(dir, 'vigil.yaml');
    writeFileSync(configPath, JSON.stringify({ store: { path: join(dir, 'ledger.db') }, jobs: [] }));
    const result = await runCli(['--config', configPath, 'killswitch', 'baseline', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("no job named 'nope'");
  });
});
