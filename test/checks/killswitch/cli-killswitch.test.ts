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
