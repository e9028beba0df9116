import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { guardDutyMembersBaseline, membersDrift, organizationDrift } from './guardduty-members-drift.js';
import { awsAccountSchema, awsScopeOptions } from '../cloud/aws/collect/scope-options.js';
import { killswitchMode, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectGuardDutyMembers = lazyCollector(() => import('../cloud/aws/collect/guardduty-members.js').then((m) => m.collectGuardDutyMembers));
const remediateGuardDutyMembers = lazyStep(() => import('./remediate/guardduty-members.js').then((m) => m.remediateGuardDutyMembers));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('guardduty-members');

export default defineCheck({
  id: 'killswitch.guardduty-members',
  title: "Every organization account stays a monitored GuardDuty member with the baseline plans, seen from the delegated admin",
  area: 'killswitch',
  severity: 'critical',
  description:
    "Runs as the organization's GuardDuty delegated administrator (the configured account): one credential per region " +
    'sees every member. In each enabled region it compares the member list with the ACTIVE organization accounts ' +
    '(a member removed, deleted, resigned or with monitoring stopped), each member detector\'s protection plans, and ' +
    'the auto-enable configuration (ALL makes AWS itself refuse StopMonitoringMembers). In enforce mode it uses only ' +
    'the administrator: CreateMembers, StartMonitoringMembers, UpdateMemberDetectors, UpdateOrganizationConfiguration.',
  remediation:
    'From the delegated administrator: CreateMembers for a removed organization account, StartMonitoringMembers for a ' +
    'stopped one, UpdateMemberDetectors for protection plans, UpdateOrganizationConfiguration AutoEnableOrganizationMembers=ALL; ' +
    'find who called StopMonitoringMembers / DisassociateMembers / DeleteMembers in CloudTrail.',
  references: [
    { framework: 'aws-fsbp', control: 'GuardDuty.1', title: 'GuardDuty should be enabled' },
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
  ],
  options: z.strictObject({
    ...awsScopeOptions,
    /** The organization's GuardDuty delegated administrator; the first of `accounts` when absent (so a family job can list them all). */
    administrator: awsAccountSchema.optional(),
    mode: killswitchMode,
    baseline: guardDutyMembersBaseline.optional(),
  }),
  needs: { members: collectGuardDutyMembers, baseline: approved },
  evaluate({ members, baseline }, options) {
    const findings: FindingInput[] = [];
    const intended = baseline.baseline;
    for (const region of members.regions) {
      const common = { scope: region.scope, location: { region: region.region }, tags: ['aws', 'guardduty', `account:${region.account}`] };
      if (region.data.detectorId === null) continue; // killswitch.guardduty-enabled reports and restores the administrator's own detector
      const organization = organizationDrift(region.data, intended);
      if (organization) {
        findings.push({
          ...common,
          resourceId: regionResourceId(region.account, region.region, 'guardduty/organization-configuration'),
          key: 'organization',
          title: `GuardDuty auto-enable for the organization differs from the baseline in ${region.region} (${[...(organization.autoEnable ? [`members ${organization.autoEnable.actual}`] : []), ...organization.features.map((f) => `${f.name} ${f.actual}`)].join(', ')})`,
          severity: organization.autoEnable ? 'critical' : 'high',
          evidence: { administrator: region.account, region: region.region, autoEnable: organization.autoEnable ? { ...organization.autoEnable } : null, features: organization.features.map((f) => ({ ...f })), baseline: baselineEvidence(baseline) },
        });
      }
      for (const drift of membersDrift(region.account, region.data, members.organizationAccounts, intended)) {
        const state = drift.relationshipStatus === null ? 'is not a GuardDuty member (deleted)' : drift.relationshipStatus !== 'Enabled' ? `is ${drift.relationshipStatus}, not monitored` : `has protection plans off (${drift.features.map((f) => f.name).join(', ')})`;
        findings.push({
          ...common,
          resourceId: regionResourceId(drift.accountId, region.region, 'guardduty/membership'),
          key: 'member',
          title: `GuardDuty member ${drift.accountId} ${state} in ${region.region}`,
          severity: drift.features.length && drift.relationshipStatus === 'Enabled' ? 'high' : 'critical',
          evidence: {
            administrator: region.account,
            member: drift.accountId,
            region: region.region,
            relationshipStatus: drift.relationshipStatus,
            features: drift.features.map((f) => ({ ...f })),
            fix: drift.fix,
            baseline: baselineEvidence(baseline),
          },
          tags: [...common.tags, `member:${drift.accountId}`],
        });
      }
    }
    return findings;
  },
  remediate: remediateGuardDutyMembers,
});
