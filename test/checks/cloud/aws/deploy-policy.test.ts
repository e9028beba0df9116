import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SMALL_WORLD, cisWorld } from '../../../fakes/aws-sdk/cis-world.js';
import { SdkFake } from '../../../fakes/aws-sdk/sdk-fake.js';
import { MEMBER, MGMT, runAwsGroup } from './collect/harness.js';

/** SDK operation → IAM action where the names differ (S3's bucket-level and account-level public access block, ListBuckets). */
const IAM_ACTION: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'efs:DescribeFileSystems': 'elasticfilesystem:DescribeFileSystems',
  'accessanalyzer:ListAnalyzers': 'access-analyzer:ListAnalyzers',
};
const actionsOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action);

describe('deploy/aws/cis-audit-policy.json', () => {
  it('grants exactly the read actions a full organization run makes (least privilege, nothing missing)', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT, MEMBER], SMALL_WORLD);
    await runAwsGroup(fake, { accounts: [{ id: MGMT }], organizationRoleName: 'vigil-audit' });
    const made = new Set(fake.calls.map((c) => `${c.service}:${c.operation}`).map((op) => IAM_ACTION[op] ?? op));
    const audit = new Set(actionsOf('deploy/aws/cis-audit-policy.json'));
    const organization = new Set(actionsOf('deploy/aws/cis-audit-organization-policy.json'));
    // GetBucketLocation is granted for buckets ListBuckets does not place (older API answers).
    expect([...made].filter((a) => !audit.has(a) && !organization.has(a)).sort()).toEqual([]);
    expect([...audit].filter((a) => !made.has(a)).sort()).toEqual(['s3:GetBucketLocation']);
    expect([...audit].every((a) => /^[a-z0-9-]+:(Describe|Get|List|Generate)/.test(a))).toBe(true);
  }, 60_000);
});
