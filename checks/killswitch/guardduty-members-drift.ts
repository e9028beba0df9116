import { z } from 'zod';
import type { GuardDutyAdminRegionState, GuardDutyMemberState } from '../cloud/aws/collect/guardduty-members.js';
import { GUARDDUTY_FEATURES } from './guardduty-drift.js';

const autoEnable = z.enum(['ALL', 'NEW', 'NONE']);

/** What the organization's GuardDuty administrator must keep true in every region. */
export const guardDutyMembersBaseline = z.strictObject({
  /** ALL also makes AWS refuse StopMonitoringMembers and a member's own disassociation. */
  autoEnableOrganizationMembers: autoEnable.default('ALL'),
  organizationFeatures: z.array(z.strictObject({ name: z.string().min(1), autoEnable })).default([]),
  /** Protection plans every monitored member must have on. */
  memberFeatures: z.array(z.strictObject({ name: z.enum(GUARDDUTY_FEATURES), status: z.enum(['ENABLED', 'DISABLED']).default('ENABLED') })).default([]),
  /** ACTIVE organization accounts that are not expected to be members (the administrator never is). */
  excludeAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]),
});
export type GuardDutyMembersBaseline = z.output<typeof guardDutyMembersBaseline>;

/** How a member is put back, by what the administrator sees; `null` when only a person can (an invitation pending). */
export type MemberFix = 'CreateMembers' | 'StartMonitoringMembers' | 'UpdateMemberDetectors' | null;

export interface MemberDrift {
  readonly accountId: string;
  readonly relationshipStatus: string | null;
  readonly features: readonly { readonly name: string; readonly actual: string; readonly intended: string }[];
  readonly fix: MemberFix;
}

export interface OrganizationDrift {
  readonly autoEnable: { readonly actual: string | null; readonly intended: string } | null;
  readonly features: readonly { readonly name: string; readonly actual: string; readonly intended: string }[];
}

/** Removed (admin disassociated), Resigned (member left), Created (added, never enabled): CreateMembers re-associates an organization account. */
const REASSOCIATE = new Set(['Removed', 'Resigned', 'Created']);

export function memberDrift(accountId: string, member: GuardDutyMemberState | undefined, baseline: GuardDutyMembersBaseline): MemberDrift | null {
  if (!member) return { accountId, relationshipStatus: null, features: [], fix: 'CreateMembers' };
  if (member.relationshipStatus !== 'Enabled') {
    const fix: MemberFix = REASSOCIATE.has(member.relationshipStatus) ? 'CreateMembers' : member.relationshipStatus === 'Disabled' ? 'StartMonitoringMembers' : null;
    return { accountId, relationshipStatus: member.relationshipStatus, features: [], fix };
  }
  const features = baseline.memberFeatures.flatMap((intended) => {
    const actual = member.features?.find((f) => f.name === intended.name)?.status ?? 'ABSENT';
    return actual === intended.status ? [] : [{ name: intended.name, actual, intended: intended.status }];
  });
  return features.length ? { accountId, relationshipStatus: 'Enabled', features, fix: 'UpdateMemberDetectors' } : null;
}

/** Every expected account's drift in one region: the organization's ACTIVE accounts, or (list unknown) the members seen. */
export function membersDrift(admin: string, state: GuardDutyAdminRegionState, organizationAccounts: Readonly<Record<string, string>> | null, baseline: GuardDutyMembersBaseline): MemberDrift[] {
  const excluded = new Set([admin, ...baseline.excludeAccounts]);
  const byId = new Map(state.members.map((m) => [m.accountId, m]));
  const expected = organizationAccounts ? Object.keys(organizationAccounts) : [...byId.keys()];
  return [...new Set(expected)]
    .filter((id) => !excluded.has(id))
    .sort()
    .flatMap((id) => memberDrift(id, byId.get(id), baseline) ?? []);
}

export function organizationDrift(state: GuardDutyAdminRegionState, baseline: GuardDutyMembersBaseline): OrganizationDrift | null {
  const autoEnableDrift = state.autoEnableOrganizationMembers !== baseline.autoEnableOrganizationMembers ? { actual: state.autoEnableOrganizationMembers, intended: baseline.autoEnableOrganizationMembers } : null;
  const features = baseline.organizationFeatures.flatMap((intended) => {
    const actual = state.organizationFeatures.find((f) => f.name === intended.name)?.autoEnable ?? 'NONE';
    return actual === intended.autoEnable ? [] : [{ name: intended.name, actual, intended: intended.autoEnable }];
  });
  return autoEnableDrift || features.length ? { autoEnable: autoEnableDrift, features } : null;
}
