import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { regionScope } from '../cloud/aws/collect/scope-options.js';
import { cloudTrailBaseline, hasTrailDrift, trailArn, trailDrift } from './cloudtrail-drift.js';
import { awsKillswitchOptions } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectCloudTrail = lazyCollector(() => import('../cloud/aws/collect/cloudtrail.js').then((m) => m.collectCloudTrail));
const remediateCloudTrail = lazyStep(() => import('./remediate/cloudtrail.js').then((m) => m.remediateCloudTrail));

export default defineCheck({
  id: 'killswitch.cloudtrail-logging',
  title: 'Every baseline CloudTrail trail exists, logs, and records the baseline management events',
  area: 'killswitch',
  severity: 'critical',
  description:
    "Reads each baseline trail in its home region: deleted, StopLogging, event selectors narrowed so management events " +
    'are no longer recorded, or its bucket / multi-region / global-events settings changed. In enforce mode it calls ' +
    "StartLogging in the trail's home region (the only place it works; an organization trail needs the management " +
    'account), restores the event selectors, and re-creates a deleted trail only when the baseline allows it.',
  remediation:
    "Call StartLogging with the trail ARN in its home region and restore its event selectors; re-create a deleted trail " +
    'then StartLogging (an API-created trail does not log until then). Find the principal behind StopLogging/DeleteTrail.',
  references: [
    { framework: 'cis-aws', version: '3.0.0', control: '3.1', title: 'CloudTrail is enabled in all regions' },
    { framework: 'cis-aws', version: '6.0.0', control: '4.1', title: 'CloudTrail is enabled in all regions' },
    { framework: 'aws-fsbp', control: 'CloudTrail.1' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: awsKillswitchOptions(cloudTrailBaseline.prefault({})),
  needs: { cloudtrail: collectCloudTrail },
  evaluate({ cloudtrail }, options) {
    const findings: FindingInput[] = [];
    const read = new Map(cloudtrail.regions.map((region) => [region.scope, region.data]));
    for (const { account } of cloudtrail.listed) {
      for (const intended of options.baseline.trails) {
        if (intended.accounts && !intended.accounts.includes(account)) continue;
        const scope = regionScope(account, intended.homeRegion);
        const home = read.get(scope);
        // Home region not read (refused, or not enabled): coverage says so; never guess "deleted".
        if (!home) continue;
        const actual = home.trails.find((trail) => trail.name === intended.name);
        const drift = trailDrift(actual, intended);
        if (!hasTrailDrift(drift)) continue;
        const what = drift.deleted
          ? 'was deleted'
          : drift.stopped
            ? 'has stopped logging'
            : drift.selectorsNarrowed
              ? 'no longer records the baseline management events'
              : `differs from the baseline (${drift.settings.map((s) => s.field).join(', ')})`;
        findings.push({
          resourceId: trailArn(intended, account),
          key: 'trail',
          scope,
          title: `CloudTrail trail '${intended.name}' in ${account} ${what}`,
          severity: drift.deleted || drift.stopped ? 'critical' : 'high',
          evidence: {
            account,
            homeRegion: intended.homeRegion,
            deleted: drift.deleted,
            stopped: drift.stopped,
            stopLoggingTime: actual?.stopLoggingTime ?? null,
            selectorsNarrowed: drift.selectorsNarrowed,
            settings: drift.settings.map((s) => ({ ...s })),
            recreateAllowed: intended.recreate,
          },
          location: { region: intended.homeRegion },
          tags: ['aws', 'cloudtrail', `account:${account}`],
        });
      }
    }
    return findings;
  },
  remediate: remediateCloudTrail,
});
