import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIONS, SMALL_WORLD, cisWorld } from '../../../../fakes/aws-sdk/cis-world.js';
import { SdkFake } from '../../../../fakes/aws-sdk/sdk-fake.js';
import { MEMBER, MGMT, byCheck, runAwsGroup } from './harness.js';

const single = { accounts: [{ id: MGMT }] };
const okCalls = (fake: SdkFake, operation: string) => fake.calls.filter((c) => `${c.service}:${c.operation}` === operation && c.outcome === 'ok');

describe('CIS collectors through the real SDK clients (fake below the retry layer)', () => {
  it('one run group reads each account/region/operation/page once for all 56 checks', async () => {
    const fake = new SdkFake();
    const { reportPolls } = cisWorld(fake, [MGMT]);
    const results = await runAwsGroup(fake, single);
    expect(results).toHaveLength(56);
    expect(results.filter((r) => r.outcome !== 'ok').map((r) => `${r.checkId}: ${r.error ?? JSON.stringify(r.coverage.failed)}`)).toEqual([]);
    expect(fake.duplicates()).toEqual([]);
    expect(okCalls(fake, 'ec2:DescribeRegions')).toHaveLength(1);
    // Pagination: 3 security groups at 2 per page is 2 pages in each of the 17 regions.
    expect(okCalls(fake, 'ec2:DescribeSecurityGroups')).toHaveLength(2 * DEFAULT_REGIONS.length);
    expect(okCalls(fake, 'ec2:DescribeSecurityGroups').filter((c) => c.region === 'eu-west-1').map((c) => JSON.parse(c.key.split('|')[3]!).NextToken ?? null)).toEqual([null, '2']);
    // Credential report: STARTED, then COMPLETE, then one GetCredentialReport.
    expect(reportPolls.get(MGMT)).toBe(2);
    expect(okCalls(fake, 'iam:GetCredentialReport')).toHaveLength(1);
    // Known state of the world comes out as findings, and the trap controls are right.
    expect(byCheck(results, 'aws.ec2.ebs-default-encryption').findings.map((f) => f.resourceId)).toEqual([`aws:${MGMT}/sa-east-1/ebs-encryption-by-default`]);
    expect(byCheck(results, 'aws.ec2.default-sg-restricts-all').findings).toHaveLength(DEFAULT_REGIONS.length);
    expect(byCheck(results, 'aws.ec2.sg-admin-ports-ipv4').findings).toHaveLength(DEFAULT_REGIONS.length);
    expect(byCheck(results, 'aws.ec2.sg-cifs-ports').findings).toEqual([]);
    expect(byCheck(results, 'aws.securityhub.enabled').findings.map((f) => f.scope)).toEqual([`aws:${MGMT}/ca-central-1`]);
    expect(byCheck(results, 'aws.iam.full-admin-policies').findings.map((f) => f.resourceId)).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(byCheck(results, 'aws.iam.console-users-mfa').findings.map((f) => f.resourceId)).toEqual([`arn:aws:iam::${MGMT}:user/user0001`]);
    expect(byCheck(results, 'aws.monitoring.unauthorized-api-calls-alarm').findings).toEqual([]);
    expect(byCheck(results, 'aws.monitoring.root-usage-alarm').findings).toEqual([]);
    expect(byCheck(results, 'aws.monitoring.vpc-changes-alarm').findings.map((f) => f.evidence.brokenAt)).toEqual(['no matching metric filter']);
    expect(byCheck(results, 'aws.cloudtrail.multi-region').findings).toEqual([]);
    expect(byCheck(results, 'aws.s3.bucket-tls-only').findings.map((f) => f.resourceId)).toEqual([`arn:aws:s3:::data-${MGMT}-1`]);
  }, 60_000);

  it('throttled calls are retried by the SDK (adaptive mode) and leave no unknown', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT]);
    fake.throttleNext('ec2:DescribeSecurityGroups', 3).throttleNext('iam:GetAccountAuthorizationDetails', 2).throttleNext('s3:GetBucketPolicy', 1);
    const results = await runAwsGroup(fake, single, {}, 'aws.ec2');
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    expect(fake.calls.filter((c) => c.outcome === 'throttled').length).toBe(3);
    expect(fake.duplicates()).toEqual([]);
    const iam = await runAwsGroup(fake, single, {}, 'aws.iam');
    expect(iam.every((r) => r.outcome === 'ok')).toBe(true);
  }, 60_000);

  it('AccessDenied in one region fails that scope only: findings elsewhere, the control unknown there', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT]);
    fake.deny({ operation: 'ec2:GetEbsEncryptionByDefault', region: 'eu-west-2' });
    const results = await runAwsGroup(fake, single, {}, 'aws.ec2.ebs-default-encryption');
    const run = results[0]!;
    expect(run.outcome).toBe('partial');
    expect(run.coverage.failed).toEqual([
      { scope: `aws:${MGMT}/eu-west-2`, error: { name: 'CollectorAccessDenied', message: expect.stringContaining('ec2:GetEbsEncryptionByDefault: UnauthorizedOperation') } },
      { scope: `aws:${MGMT}/all-regions`, error: { name: 'CollectorIncomplete', message: 'regions not read: eu-west-2' } },
    ]);
    expect(run.coverage.ok).not.toContain(`aws:${MGMT}/eu-west-2`);
    expect(run.findings.map((f) => f.scope)).toEqual([`aws:${MGMT}/sa-east-1`]);
  }, 60_000);

  it('an opted-in region that refuses the credentials is a failed scope, never a pass', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT], { ...SMALL_WORLD, optIn: ['af-south-1'] });
    fake.closeRegion(MGMT, 'af-south-1');
    const results = await runAwsGroup(fake, single, {}, 'aws.iam.access-analyzer-all-regions');
    const run = results[0]!;
    expect(run.outcome).toBe('partial');
    expect(run.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([
      [`aws:${MGMT}/af-south-1`, 'CollectorAccessDenied'],
      [`aws:${MGMT}/all-regions`, 'CollectorIncomplete'],
    ]);
    // me-south-1 is listed as not-opted-in and is never called.
    expect(fake.calls.some((c) => c.region === 'me-south-1')).toBe(false);
    expect(run.findings.map((f) => f.scope)).toEqual([`aws:${MGMT}/ap-south-1`]);
  }, 60_000);

  it('a region that is unread makes account-wide controls unknown (no finding, all-regions scope not covered)', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT]);
    fake.deny({ operation: 'logs:DescribeMetricFilters', region: 'us-east-1' });
    const results = await runAwsGroup(fake, single, {}, 'aws.monitoring.vpc-changes-alarm');
    expect(results[0]!.outcome).toBe('partial');
    expect(results[0]!.findings).toEqual([]);
    expect(results[0]!.coverage.ok).not.toContain(`aws:${MGMT}/all-regions`);
  }, 60_000);

  it('keeps the analyzer type and the IPv6 ranges from the SDK response, so unused-access analyzers and ::/0 SMB rules are seen', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT]);
    const analyzer = (region: string, name: string, type: string) => ({ name, arn: `arn:aws:access-analyzer:${region}:${MGMT}:analyzer/${name}`, type, status: 'ACTIVE', createdAt: new Date(0) });
    fake.on('accessanalyzer:ListAnalyzers', (_i, { region }) => ({
      analyzers: region === 'eu-west-1' ? [analyzer(region, 'unused', 'ACCOUNT_UNUSED_ACCESS')] : region === 'us-east-1' ? [analyzer(region, 'org', 'ORGANIZATION')] : [analyzer(region, 'account', 'ACCOUNT')],
    }));
    fake.on('ec2:DescribeSecurityGroups', (_i, { region }) => ({
      SecurityGroups: [{ GroupId: `sg-${region}`, GroupName: 'files', VpcId: `vpc-${region}`, IpPermissions: region === 'eu-west-1' ? [{ IpProtocol: 'tcp', FromPort: 445, ToPort: 445, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] : [], IpPermissionsEgress: [] }],
    }));
    const analyzers = byCheck(await runAwsGroup(fake, single, {}, 'aws.iam.access-analyzer-all-regions'), 'aws.iam.access-analyzer-all-regions');
    expect(analyzers.outcome).toBe('ok');
    expect(analyzers.findings.map((f) => [f.scope, f.evidence.analyzers])).toEqual([[`aws:${MGMT}/eu-west-1`, [{ name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' }]]]);
    const cifs = byCheck(await runAwsGroup(fake, single, {}, 'aws.ec2.sg-cifs-ports'), 'aws.ec2.sg-cifs-ports');
    expect(cifs.outcome).toBe('ok');
    expect(cifs.findings.map((f) => [f.resourceId, f.evidence.ports, f.evidence.sources])).toEqual([[`arn:aws:ec2:eu-west-1:${MGMT}:security-group/sg-eu-west-1`, [445], ['::/0']]]);
  }, 60_000);

  it('assumes a role into every ACTIVE account of the organization', async () => {
    const fake = new SdkFake();
    cisWorld(fake, [MGMT, MEMBER]);
    const results = await runAwsGroup(fake, { accounts: [{ id: MGMT }], organizationRoleName: 'vigil-audit' }, {}, 'aws.iam.root-mfa');
    expect(results[0]!.outcome).toBe('ok');
    expect(results[0]!.coverage.ok).toEqual([`aws:${MGMT}/global`, `aws:${MEMBER}/global`]);
    expect(okCalls(fake, 'sts:AssumeRole')).toHaveLength(1);
    expect(okCalls(fake, 'iam:GetAccountSummary').map((c) => c.account).sort()).toEqual([MGMT, MEMBER]);
  }, 60_000);
});
