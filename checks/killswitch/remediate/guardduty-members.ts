import { CreateMembersCommand, StartMonitoringMembersCommand, UpdateMemberDetectorsCommand, UpdateOrganizationConfigurationCommand } from '@aws-sdk/client-guardduty';
import { readGuardDutyAdminRegion, type GuardDutyAdminRegionState, type GuardDutyMembersInventory } from '../../cloud/aws/collect/guardduty-members.js';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import { awsClientsFrom, type AwsAccountRef } from '../../cloud/aws/collect/clients.js';
import { accountRef, mapLimit, type AwsScopeOptions } from '../../cloud/aws/collect/scopes.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import type { ApprovedBaseline } from '../baselines.js';
import { memberDrift, organizationDrift, type GuardDutyMembersBaseline } from '../guardduty-members-drift.js';
import { describeAwsFailure } from '../options.js';

type Data = { members: GuardDutyMembersInventory; baseline: ApprovedBaseline<GuardDutyMembersBaseline> };

/**
 * Puts members back through the administrator alone: no credential in the member account is needed, which is the
 * point of running as the delegated admin. AWS rejects an unprocessed account in the response body, not with an
 * error, so `UnprocessedAccounts` is checked too; the read-back decides in the end.
 */
export async function remediateGuardDutyMembers({ data, findings, options, ctx }: RemediateInput<Data, AwsScopeOptions & { readonly administrator?: AwsAccountRef | undefined }>): Promise<RemediationRecord[]> {
  const clients = awsClientsFrom(ctx.services);
  const baseline = data.baseline.baseline;
  const byScope = new Map(data.members.regions.map((region) => [region.scope, region]));
  const targets = findings.filter((f) => f.scope && byScope.has(f.scope) && (f.key === 'member' || f.key === 'organization'));
  const records = await mapLimit(targets, options.concurrency, async (finding): Promise<RemediationRecord | undefined> => {
    const region = byScope.get(finding.scope!)!;
    const ref = { account: options.administrator?.id === region.account ? options.administrator : accountRef(options, region.account), region: region.region, scope: region.scope };
    const client = clients('guardduty', ref.region, ref.account);
    const detectorId = region.data.detectorId!;
    const member = finding.key === 'member' ? String(finding.evidence.member) : null;
    const actions: string[] = [];
    const before = member ? memberJson(region.data, member) : organizationJson(region.data);
    try {
      if (member === null) {
        actions.push('guardduty:UpdateOrganizationConfiguration');
        await call('guardduty:UpdateOrganizationConfiguration', () =>
          client.send(
            new UpdateOrganizationConfigurationCommand({
              DetectorId: detectorId,
              AutoEnableOrganizationMembers: baseline.autoEnableOrganizationMembers,
              ...(baseline.organizationFeatures.length ? { Features: baseline.organizationFeatures.map((f) => ({ Name: f.name as never, AutoEnable: f.autoEnable })) } : {}),
            }),
            { abortSignal: ctx.signal },
          ),
        );
      } else {
        const drift = memberDrift(member, region.data.members.find((m) => m.accountId === member), baseline);
        if (!drift || drift.fix === null) return undefined; // an invitation only the member can accept: reported, not fixable here
        const accountIds = [member];
        let unprocessed: { AccountId?: string; Result?: string }[] = [];
        if (drift.fix === 'CreateMembers') {
          const email = data.members.organizationAccounts?.[member];
          if (email === undefined) throw new Error(`${member} is not an ACTIVE account of the organization; CreateMembers needs its email`);
          actions.push('guardduty:CreateMembers');
          unprocessed = (await call('guardduty:CreateMembers', () => client.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: member, Email: email }] }), { abortSignal: ctx.signal }))).UnprocessedAccounts ?? [];
        } else if (drift.fix === 'StartMonitoringMembers') {
          actions.push('guardduty:StartMonitoringMembers');
          unprocessed = (await call('guardduty:StartMonitoringMembers', () => client.send(new StartMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: accountIds }), { abortSignal: ctx.signal }))).UnprocessedAccounts ?? [];
        }
        if (unprocessed.length) throw new Error(`${actions.at(-1)}: unprocessed ${unprocessed.map((u) => `${u.AccountId}: ${u.Result}`).join('; ')}`);
        // Re-associated or restarted members come back with the organization's auto-enable plans, not necessarily the
        // baseline's: read them and set the plans in the same tick.
        const now = drift.fix === 'UpdateMemberDetectors' ? drift : memberDrift(member, (await readGuardDutyAdminRegion(ref, clients, ctx.signal)).members.find((m) => m.accountId === member), baseline);
        if (now?.fix === 'UpdateMemberDetectors') {
          actions.push('guardduty:UpdateMemberDetectors');
          const out = await call('guardduty:UpdateMemberDetectors', () =>
            client.send(new UpdateMemberDetectorsCommand({ DetectorId: detectorId, AccountIds: accountIds, Features: baseline.memberFeatures.map((f) => ({ Name: f.name, Status: f.status })) }), { abortSignal: ctx.signal }),
          );
          if (out.UnprocessedAccounts?.length) throw new Error(`guardduty:UpdateMemberDetectors: unprocessed ${out.UnprocessedAccounts.map((u) => `${u.AccountId}: ${u.Result}`).join('; ')}`);
        }
      }
      const after = await readGuardDutyAdminRegion(ref, clients, ctx.signal);
      const left = member ? memberDrift(member, after.members.find((m) => m.accountId === member), baseline) : organizationDrift(after, baseline);
      const afterJson = member ? memberJson(after, member) : organizationJson(after);
      return { resourceId: finding.resourceId, key: finding.key!, actions, outcome: left ? 'failed' : 'fixed', before, after: afterJson, ...(left ? { error: `read-back still differs: ${JSON.stringify(left)}` } : {}) };
    } catch (error) {
      return { resourceId: finding.resourceId, key: finding.key!, actions, outcome: 'failed', before, after: null, error: describeAwsFailure(error) };
    }
  });
  return records.filter((record): record is RemediationRecord => record !== undefined);
}

function memberJson(state: GuardDutyAdminRegionState, accountId: string): { [key: string]: JsonValue } {
  const member = state.members.find((m) => m.accountId === accountId);
  return member ? { relationshipStatus: member.relationshipStatus, features: member.features?.map((f) => ({ name: f.name, status: f.status })) ?? null } : { relationshipStatus: null };
}

function organizationJson(state: GuardDutyAdminRegionState): { [key: string]: JsonValue } {
  return { autoEnableOrganizationMembers: state.autoEnableOrganizationMembers, features: state.organizationFeatures.map((f) => ({ ...f })) };
}
