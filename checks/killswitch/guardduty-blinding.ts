import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { blindingItems, guardDutyBlindingBaseline } from './guardduty-blinding-drift.js';
import { awsKillswitchOptions, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectGuardDutySuppression = lazyCollector(() => import('../cloud/aws/collect/guardduty.js').then((m) => m.collectGuardDutySuppression));
const remediateGuardDutyBlinding = lazyStep(() => import('./remediate/guardduty-blinding.js').then((m) => m.remediateGuardDutyBlinding));

export default defineCheck({
  id: 'killswitch.guardduty-blinding',
  title: 'No trusted IP set or auto-archive filter blinds GuardDuty beyond the baseline',
  area: 'killswitch',
  severity: 'critical',
  description:
    'An attacker who cannot (or prefers not to) suspend GuardDuty can blind it: a trusted IP set listing their own ' +
    'addresses suppresses findings about them (Pacu guardduty__whitelist_ip), and a filter with action ARCHIVE hides ' +
    'findings as they arrive. Every active trusted IP set and archive filter not in the baseline is reported. In enforce ' +
    'mode the IP set is deactivated and the filter set to NOOP, keeping both as evidence.',
  remediation:
    'Deactivate the trusted IP set (UpdateIPSet Activate=false) or set the filter action to NOOP, review the archived ' +
    'findings, and find the principal that created them (CloudTrail CreateIPSet/CreateFilter). Deny both with an SCP.',
  references: [
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: awsKillswitchOptions(guardDutyBlindingBaseline.prefault({})),
  needs: { suppression: collectGuardDutySuppression },
  evaluate({ suppression }, options) {
    const findings: FindingInput[] = [];
    for (const region of suppression.regions) {
      const { ipSets, filters } = blindingItems(region.data, options.baseline);
      const where = `${region.account}/${region.region}`;
      const common = { scope: region.scope, severity: 'critical' as const, location: { region: region.region }, tags: ['aws', 'guardduty', `account:${region.account}`] };
      for (const set of ipSets) {
        findings.push({
          ...common,
          resourceId: regionResourceId(region.account, region.region, 'guardduty/detector'),
          key: `ipset:${set.name}`,
          title: `Trusted IP set '${set.name}' not in the baseline suppresses GuardDuty findings in ${where}`,
          evidence: { account: region.account, region: region.region, detectorId: region.data.detectorId, ipSetId: set.id, name: set.name, status: set.status, location: set.location },
        });
      }
      for (const filter of filters) {
        findings.push({
          ...common,
          resourceId: regionResourceId(region.account, region.region, 'guardduty/detector'),
          key: `filter:${filter.name}`,
          title: `Filter '${filter.name}' auto-archives GuardDuty findings in ${where} and is not in the baseline`,
          evidence: { account: region.account, region: region.region, detectorId: region.data.detectorId, name: filter.name, action: filter.action, rank: filter.rank },
        });
      }
    }
    return findings;
  },
  remediate: remediateGuardDutyBlinding,
});
