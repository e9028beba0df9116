import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAwsInventory, recordingSession, replaySession } from '../../../../../checks/cloud/aws/collect/inventory-file.js';
import { cisWorld } from '../../../../fakes/aws-sdk/cis-world.js';
import { SdkFake } from '../../../../fakes/aws-sdk/sdk-fake.js';
import { MGMT, runAwsGroup } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-aws-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { accounts: [{ id: MGMT }] };
const summary = (results: Awaited<ReturnType<typeof runAwsGroup>>) => results.map((r) => [r.checkId, r.outcome, r.findings.map((f) => `${f.resourceId}#${f.key ?? ''}`).sort()]);

describe('saved inventory', () => {
  it('records a run group and re-evaluates it offline to the same results, with no AWS call', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT]);
    const session = recordingSession(options, () => new Date('2026-11-01T00:00:00Z'));
    const live = await runAwsGroup(fake, options, { awsInventory: session });
    const file = join(dir, 'inventory.json');
    expect(session.save(file)).toBe(13);

    const offline = new SdkFake();
    const replayed = await runAwsGroup(offline, options, { awsInventory: replaySession(file, loadAwsInventory(file)) });
    expect(offline.calls).toEqual([]);
    expect(summary(replayed)).toEqual(summary(live));
  }, 60_000);

  it('a collection missing from the file makes its controls unknown, not passed', async () => {
    const file = join(dir, 'partial.json');
    writeFileSync(file, JSON.stringify({ format: 'vigil-aws-inventory/1', collectedAt: '2026-11-01T00:00:00.000Z', options, collections: {} }));
    const [run] = await runAwsGroup(new SdkFake(), options, { awsInventory: replaySession(file, loadAwsInventory(file)) }, 'aws.iam.root-mfa');
    expect(run!.outcome).toBe('partial');
    expect(run!.coverage.failed).toEqual([{ scope: 'aws:inventory', error: { name: 'CollectorNotRecorded', message: `${file} has no 'iam' collection` } }]);
  });

  it('rejects a malformed file with one line naming the file and the path', () => {
    const file = join(dir, 'bad.json');
    const good = JSON.parse(readFileSync(join(dir, 'inventory.json'), 'utf8'));
    good.collections.ec2.data.regions[0].data.ebsEncryptionByDefault = 'yes';
    writeFileSync(file, JSON.stringify(good));
    expect(() => loadAwsInventory(file)).toThrow(new RegExp(`^--inventory ${file}: collections\\.ec2\\.data\\.regions\\.0\\.data\\.ebsEncryptionByDefault: `));
    writeFileSync(file, '{not json');
    expect(() => loadAwsInventory(file)).toThrow(/not JSON/);
  });
});
