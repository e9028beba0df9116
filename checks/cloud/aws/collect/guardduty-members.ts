import { DescribeOrganizationConfigurationCommand, GetMemberDetectorsCommand, ListDetectorsCommand, ListMembersCommand } from '@aws-sdk/client-guardduty';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { call, collectorError } from './aws-errors.js';
import type { AwsAccountRef, AwsClientFactory } from './clients.js';
import { allPages } from './paginate.js';
import { collectPerRegion, listAwsScopes, type AwsRegionRef, type AwsScopeOptions, type RegionalInventory } from './scopes.js';
import { awsClientsFrom } from './clients.js';

const status = z.enum(['ENABLED', 'DISABLED']);
const featureSchema = z.object({ name: z.string(), status, additional: z.array(z.object({ name: z.string(), status })) });

export interface MemberFeature {
  readonly name: string;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly additional: readonly { readonly name: string; readonly status: 'ENABLED' | 'DISABLED' }[];
}

export interface GuardDutyMemberState {
  readonly accountId: string;
  /** As ListMembers reports it: Enabled, Disabled (monitoring stopped), Removed, Resigned, Created, Invited, … */
  readonly relationshipStatus: string;
  readonly email: string;
  /** Only for members whose relationship is Enabled; null when GetMemberDetectors did not answer for it. */
  readonly features: readonly MemberFeature[] | null;
}

/** What the GuardDuty administrator (the organization's delegated admin) sees in one region. */
export interface GuardDutyAdminRegionState {
  readonly detectorId: string | null;
  readonly autoEnableOrganizationMembers: string | null;
  readonly organizationFeatures: readonly { readonly name: string; readonly autoEnable: string }[];
  readonly members: readonly GuardDutyMemberState[];
}

export interface GuardDutyMembersInventory extends RegionalInventory<GuardDutyAdminRegionState> {
  /** ACTIVE accounts of the organization (id → email), read once from the administrator; null when not read. */
  readonly organizationAccounts: Readonly<Record<string, string>> | null;
}

/** GetMemberDetectors takes at most 50 account ids per call. */
const MEMBER_BATCH = 50;

export async function readGuardDutyAdminRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<GuardDutyAdminRegionState> {
  const client = clients('guardduty', ref.region, ref.account);
  const options = { abortSignal: signal };
  const detectors = await allPages((token) => call('guardduty:ListDetectors', () => client.send(new ListDetectorsCommand({ NextToken: token }), options)), (o) => o.DetectorIds, (o) => o.NextToken);
  const detectorId = detectors[0] ?? null;
  if (!detectorId) return { detectorId: null, autoEnableOrganizationMembers: null, organizationFeatures: [], members: [] };
  const [organization, members] = await Promise.all([
    call('guardduty:DescribeOrganizationConfiguration', () => client.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }), options)),
    allPages((token) => call('guardduty:ListMembers', () => client.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', NextToken: token }), options)), (o) => o.Members, (o) => o.NextToken),
  ]);
  const enabled = members.filter((m) => m.RelationshipStatus === 'Enabled').map((m) => z.string().parse(m.AccountId));
  const features = new Map<string, MemberFeature[]>();
  for (let start = 0; start < enabled.length; start += MEMBER_BATCH) {
    const out = await call('guardduty:GetMemberDetectors', () => client.send(new GetMemberDetectorsCommand({ DetectorId: detectorId, AccountIds: enabled.slice(start, start + MEMBER_BATCH) }), options));
    for (const config of out.MemberDataSourceConfigurations ?? []) {
      const parsed = z
        .array(featureSchema)
        .parse((config.Features ?? []).map((f) => ({ name: f.Name, status: f.Status, additional: (f.AdditionalConfiguration ?? []).map((a) => ({ name: a.Name, status: a.Status })) })));
      features.set(z.string().parse(config.AccountId), parsed.sort((a, b) => a.name.localeCompare(b.name)));
    }
  }
  return {
    detectorId,
    autoEnableOrganizationMembers: organization.AutoEnableOrganizationMembers ?? null,
    organizationFeatures: (organization.Features ?? []).map((f) => ({ name: String(f.Name), autoEnable: String(f.AutoEnable ?? 'NONE') })).sort((a, b) => a.name.localeCompare(b.name)),
    members: members
      .map((m) => ({ accountId: z.string().parse(m.AccountId), relationshipStatus: String(m.RelationshipStatus ?? ''), email: String(m.Email ?? ''), features: features.get(m.AccountId ?? '') ?? null }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId)),
  };
}

/**
 * Reads, as the organization's GuardDuty delegated administrator (each configured account is one), every enabled
 * region's member list, member detectors and auto-enable configuration, plus the organization's ACTIVE accounts
 * (Organizations lets a delegated administrator list them), so a member that was removed or deleted is still expected.
 */
export async function collectGuardDutyMembers(ctx: CheckContext<AwsScopeOptions & { readonly administrator?: AwsAccountRef | undefined }>): Promise<Collected<GuardDutyMembersInventory>> {
  const clients = awsClientsFrom(ctx.services);
  // Only the administrator answers for the members, so a family job listing every account still asks one.
  const admin = ctx.options.administrator ?? ctx.options.accounts[0]!;
  const adminCtx = { ...ctx, options: { ...ctx.options, accounts: [admin], organizationRoleName: undefined } };
  const listed = await listAwsScopes(adminCtx, clients);
  const regional = await collectPerRegion(adminCtx, readGuardDutyAdminRegion, listed);
  try {
    const accounts = await allPages(
      (token) => call('organizations:ListAccounts', () => clients('organizations', ctx.options.homeRegion, admin).send(new ListAccountsCommand({ NextToken: token }), { abortSignal: ctx.signal })),
      (o) => o.Accounts,
      (o) => o.NextToken,
    );
    const organizationAccounts = Object.fromEntries(accounts.filter((a) => a.Status === 'ACTIVE' && a.Id).map((a) => [a.Id!, a.Email ?? '']));
    return { data: { ...regional.data, organizationAccounts }, coverage: { ok: [...regional.coverage.ok, 'aws:organization'], failed: regional.coverage.failed } };
  } catch (error) {
    // Without the account list a deleted member is invisible in every region, so no region may pass (or resolve).
    const error_ = collectorError((error as { cause?: unknown }).cause ?? error, 'organizations:ListAccounts');
    const failed = [...regional.coverage.failed, ...['aws:organization', ...regional.coverage.ok].map((scope) => ({ scope, error: error_ }))];
    return { data: { ...regional.data, organizationAccounts: null }, coverage: { ok: [], failed } };
  }
}
