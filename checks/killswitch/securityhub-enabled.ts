import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { missingStandards, securityHubBaseline, standardsFor } from './securityhub-drift.js';
import { awsKillswitchOptions, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectSecurityHub = lazyCollector(() => import('../cloud/aws/collect/securityhub.js').then((m) => m.collectSecurityHub));
const remediateSecurityHub = lazyStep(() => import('./remediate/securityhub.js').then((m) => m.remediateSecurityHub));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('securityhub');

export default defineCheck({
  id: 'killswitch.securityhub-enabled',
  title: 'Security Hub is enabled with its baseline standards in every region and account',
  area: 'killswitch',
  severity: 'critical',
  description:
    'DescribeHub answers InvalidAccessException ("not subscribed") in a region where Security Hub was disabled; the ' +
    'quieter attack is BatchDisableStandards. Both are compared with the baseline. In enforce mode Security Hub is ' +
    'enabled without default standards, then exactly the baseline standards are enabled, and the result read back.',
  remediation: 'EnableSecurityHub (EnableDefaultStandards=false) and BatchEnableStandards with the baseline standards; find the principal behind DisableSecurityHub.',
  references: [
    { framework: 'cis-aws', version: '3.0.0', control: '4.16', title: 'AWS Security Hub is enabled' },
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
  ],
  options: awsKillswitchOptions(securityHubBaseline),
  needs: { securityhub: collectSecurityHub, baseline: approved },
  evaluate({ securityhub, baseline }) {
    const findings: FindingInput[] = [];
    for (const region of securityhub.regions) {
      const missing = region.data.enabled ? missingStandards(region.data, baseline.baseline, region.region) : standardsFor(baseline.baseline, region.region);
      if (region.data.enabled && missing.length === 0) continue;
      const where = `${region.account}/${region.region}`;
      findings.push({
        resourceId: regionResourceId(region.account, region.region, 'securityhub/hub'),
        key: 'hub',
        scope: region.scope,
        title: region.data.enabled ? `Security Hub in ${where} is missing baseline standards (${missing.length})` : `Security Hub is disabled in ${where}`,
        severity: region.data.enabled ? 'high' : 'critical',
        evidence: { account: region.account, region: region.region, enabled: region.data.enabled, missingStandards: missing, enabledStandards: region.data.standards.map((s) => s.arn), baseline: baselineEvidence(baseline) },
        location: { region: region.region },
        tags: ['aws', 'securityhub', `account:${region.account}`],
      });
    }
    return findings;
  },
  remediate: remediateSecurityHub,
});
