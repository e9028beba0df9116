import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { guardDutyBaseline, guardDutyDrift, hasDrift } from './guardduty-drift.js';
import { awsKillswitchOptions, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectGuardDutyDetectors = lazyCollector(() => import('../cloud/aws/collect/guardduty.js').then((m) => m.collectGuardDutyDetectors));
const remediateGuardDutyDetectors = lazyStep(() => import('./remediate/guardduty.js').then((m) => m.remediateGuardDutyDetectors));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('guardduty');

export default defineCheck({
  id: 'killswitch.guardduty-enabled',
  title: 'GuardDuty runs with its baseline protection plans in every region and account',
  area: 'killswitch',
  severity: 'critical',
  description:
    'Lists the enabled regions of every account on each run (an attacker can opt a new region in) and compares each ' +
    "region's GuardDuty detector with the stored baseline: deleted, suspended, protection plans switched off, or a " +
    'slower finding publishing frequency. In enforce mode it puts the baseline back (UpdateDetector for a suspended ' +
    'detector, CreateDetector only when none exists, then the baseline trusted IP sets, threat lists, filters and ' +
    'findings export that were lost with the deleted detector) and verifies by reading back.',
  remediation:
    'Re-enable the detector with UpdateDetector (Enable=true, the baseline features); call CreateDetector only when ' +
    'ListDetectors is empty. Then find out which principal disabled it (CloudTrail UpdateDetector/DeleteDetector).',
  references: [
    { framework: 'aws-fsbp', control: 'GuardDuty.1', title: 'GuardDuty should be enabled' },
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
  ],
  options: awsKillswitchOptions(guardDutyBaseline),
  needs: { detectors: collectGuardDutyDetectors, baseline: approved },
  evaluate({ detectors, baseline }) {
    const findings: FindingInput[] = [];
    for (const region of detectors.regions) {
      const drift = guardDutyDrift(region.data, baseline.baseline);
      if (!hasDrift(drift)) continue;
      const where = `${region.account}/${region.region}`;
      const title = drift.missing
        ? `GuardDuty has no detector in ${where} (deleted, or never enabled in this region)`
        : drift.suspended
          ? `GuardDuty detector is suspended in ${where}`
          : `GuardDuty detector in ${where} differs from the baseline (${[...drift.features.map((f) => `${f.name} ${f.actual}`), ...(drift.frequency ? [`publishing ${drift.frequency.actual}`] : [])].join(', ')})`;
      findings.push({
        resourceId: regionResourceId(region.account, region.region, 'guardduty/detector'),
        key: 'detector',
        scope: region.scope,
        title,
        severity: drift.missing || drift.suspended ? 'critical' : 'high',
        evidence: {
          account: region.account,
          region: region.region,
          detectorId: region.data.detectorId,
          status: region.data.status,
          missing: drift.missing,
          suspended: drift.suspended,
          features: drift.features.map((f) => ({ ...f })),
          findingPublishingFrequency: drift.frequency ? { ...drift.frequency } : null,
          baseline: baselineEvidence(baseline),
        },
        location: { region: region.region },
        tags: ['aws', 'guardduty', `account:${region.account}`],
      });
    }
    return findings;
  },
  remediate: remediateGuardDutyDetectors,
});
