import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput, Severity } from '../../src/check-api/types.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { blindingDrift } from './guardduty-blinding-drift.js';
import { guardDutyBaseline } from './guardduty-drift.js';
import { awsKillswitchOptions, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectGuardDutySuppression = lazyCollector(() => import('../cloud/aws/collect/guardduty.js').then((m) => m.collectGuardDutySuppression));
const remediateGuardDutyBlinding = lazyStep(() => import('./remediate/guardduty-blinding.js').then((m) => m.remediateGuardDutyBlinding));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('guardduty');

export default defineCheck({
  id: 'killswitch.guardduty-blinding',
  title: 'No trusted IP set or auto-archive filter blinds GuardDuty, and its threat lists and findings export stay as approved',
  area: 'killswitch',
  severity: 'critical',
  description:
    'An attacker who cannot (or prefers not to) suspend GuardDuty can blind it: a trusted IP set listing their own ' +
    'addresses suppresses findings about them (Pacu guardduty__whitelist_ip), a filter with action ARCHIVE (or an ' +
    'approved suppression rule widened) hides findings as they arrive, a deleted or deactivated threat list stops ' +
    'detections, and a deleted publishing destination stops the export. Each is compared with the GuardDuty baseline. ' +
    'In enforce mode an unapproved IP set is deactivated and an unapproved filter set to NOOP (both kept as evidence), ' +
    'a changed approved filter is reset, and deleted baseline items are re-created.',
  remediation:
    'Deactivate the trusted IP set (UpdateIPSet Activate=false) or set the filter action to NOOP, review the archived ' +
    'findings, re-create deleted threat lists and the publishing destination, and find the principal in CloudTrail ' +
    '(CreateIPSet/CreateFilter/UpdateFilter/DeleteThreatIntelSet/DeletePublishingDestination). Deny them with an SCP.',
  references: [
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: awsKillswitchOptions(guardDutyBaseline),
  needs: { suppression: collectGuardDutySuppression, baseline: approved },
  evaluate({ suppression, baseline }) {
    const findings: FindingInput[] = [];
    for (const region of suppression.regions) {
      if (region.data.detectorId === null) continue; // no detector: killswitch.guardduty-enabled reports it and re-applies all of this
      const drift = blindingDrift(region.data, baseline.baseline, region.account, region.region);
      const where = `${region.account}/${region.region}`;
      const push = (key: string, severity: Severity, title: string, evidence: Record<string, string | number | boolean | null>) =>
        findings.push({
          resourceId: regionResourceId(region.account, region.region, 'guardduty/detector'),
          key,
          scope: region.scope,
          severity,
          title,
          evidence: { account: region.account, region: region.region, detectorId: region.data.detectorId, ...evidence, baseline: baselineEvidence(baseline) },
          location: { region: region.region },
          tags: ['aws', 'guardduty', `account:${region.account}`],
        });
      for (const set of drift.unapprovedIpSets) {
        const what = set.api === 'trustedentityset' ? 'Trusted entity set' : 'Trusted IP set';
        push(`ipset:${set.name}`, 'critical', `${what} '${set.name}' not in the baseline suppresses GuardDuty findings in ${where}`, { ipSetId: set.id, api: set.api ?? 'ipset', name: set.name, status: set.status, location: set.location });
      }
      for (const filter of drift.unapprovedArchiveFilters) push(`filter:${filter.name}`, 'critical', `Filter '${filter.name}' auto-archives GuardDuty findings in ${where} and is not in the baseline`, { name: filter.name, action: filter.action, rank: filter.rank, criteria: JSON.stringify(filter.findingCriteria) });
      for (const { actual, intended } of drift.changedFilters) {
        push(`filter:${actual.name}`, 'critical', `Approved filter '${actual.name}' in ${where} was changed (action ${actual.action}, criteria or rank differ from the baseline)`, {
          name: actual.name,
          action: actual.action,
          criteria: JSON.stringify(actual.findingCriteria),
          intendedAction: intended.action,
          intendedCriteria: JSON.stringify(intended.findingCriteria),
        });
      }
      for (const name of drift.missingThreatIntelSets) push(`threatintel:${name}`, 'high', `Threat list '${name}' from the baseline was deleted in ${where}`, { name, deleted: true });
      for (const set of drift.inactiveThreatIntelSets) push(`threatintel:${set.name}`, 'high', `Threat list '${set.name}' from the baseline is ${set.status} in ${where}`, { name: set.name, status: set.status, deleted: false });
      for (const arn of drift.missingDestinations) push(`destination:${arn}`, 'high', `GuardDuty no longer exports findings to ${arn} in ${where}`, { destinationArn: arn });
      for (const name of drift.missingIpSets) push(`ipset:${name}`, 'low', `Approved trusted IP set '${name}' is missing in ${where}`, { name, deleted: true });
      for (const name of drift.missingFilters) push(`filter:${name}`, 'low', `Approved filter '${name}' is missing in ${where}`, { name, deleted: true });
    }
    return findings;
  },
  remediate: remediateGuardDutyBlinding,
});
