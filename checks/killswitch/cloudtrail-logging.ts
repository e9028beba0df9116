import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { regionScope } from '../cloud/aws/collect/scope-options.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { cloudTrailBaseline, deliveryProblem, hasTrailDrift, trailArn, trailDrift } from './cloudtrail-drift.js';
import { awsKillswitchOptions } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectCloudTrail = lazyCollector(() => import('../cloud/aws/collect/cloudtrail.js').then((m) => m.collectCloudTrail));
const remediateCloudTrail = lazyStep(() => import('./remediate/cloudtrail.js').then((m) => m.remediateCloudTrail));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('cloudtrail');

export default defineCheck({
  id: 'killswitch.cloudtrail-logging',
  title: 'Every baseline CloudTrail trail exists, logs, and records the baseline management events',
  area: 'killswitch',
  severity: 'critical',
  description:
    "Reads each baseline trail in its home region: deleted, StopLogging, event selectors narrowed so management events " +
    'are no longer recorded, or its bucket, KMS key, CloudWatch Logs integration, log file validation, multi-region or ' +
    'global-events settings changed; and, on a logging trail, S3 delivery errors or deliveries that stopped. In enforce ' +
    "mode it calls StartLogging in the trail's home region (the only place it works; an organization trail needs the " +
    'management account), restores the event selectors and settings (UpdateTrail), and re-creates a deleted trail only ' +
    'when the baseline allows it. Delivery trouble is reported only: its cause is a bucket or key policy.',
  remediation:
    "Call StartLogging with the trail ARN in its home region and restore its event selectors; re-create a deleted trail " +
    'then StartLogging (an API-created trail does not log until then). Find the principal behind StopLogging/DeleteTrail.',
  references: [
    { framework: 'cis-aws', version: '3.0.0', control: '3.1', title: 'CloudTrail is enabled in all regions' },
    { framework: 'cis-aws', version: '6.0.0', control: '4.1', title: 'CloudTrail is enabled in all regions' },
    { framework: 'aws-fsbp', control: 'CloudTrail.1' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: awsKillswitchOptions(cloudTrailBaseline),
  needs: { cloudtrail: collectCloudTrail, baseline: approved },
  evaluate({ cloudtrail, baseline }) {
    const findings: FindingInput[] = [];
    const read = new Map(cloudtrail.regions.map((region) => [region.scope, region.data]));
    for (const { account } of cloudtrail.listed) {
      for (const intended of baseline.baseline.trails) {
        if (intended.accounts && !intended.accounts.includes(account)) continue;
        const scope = regionScope(account, intended.homeRegion);
        const home = read.get(scope);
        // Home region not read (refused, or not enabled): coverage says so; never guess "deleted".
        if (!home) continue;
        const actual = home.trails.find((trail) => trail.name === intended.name);
        const drift = trailDrift(actual, intended, account);
        const delivery = deliveryProblem(actual, intended);
        if (delivery) {
          findings.push({
            resourceId: trailArn(intended, account),
            key: 'delivery',
            scope,
            title: `CloudTrail trail '${intended.name}' in ${account} is not delivering logs (${delivery.error ?? `last delivery ${delivery.lagMinutes} min ago`})`,
            severity: 'high',
            evidence: { account, homeRegion: intended.homeRegion, latestDeliveryError: delivery.error, minutesSinceLastDelivery: delivery.lagMinutes, latestDeliveryTime: actual?.latestDeliveryTime ?? null, baseline: baselineEvidence(baseline) },
            location: { region: intended.homeRegion },
            tags: ['aws', 'cloudtrail', `account:${account}`],
          });
        }
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
          severity: drift.deleted || drift.stopped || drift.settings.some((s) => s.field === 's3BucketName') ? 'critical' : 'high',
          evidence: {
            account,
            homeRegion: intended.homeRegion,
            deleted: drift.deleted,
            stopped: drift.stopped,
            stopLoggingTime: actual?.stopLoggingTime ?? null,
            selectorsNarrowed: drift.selectorsNarrowed,
            settings: drift.settings.map((s) => ({ ...s })),
            recreateAllowed: intended.recreate,
            restoreSettings: intended.restoreSettings,
            baseline: baselineEvidence(baseline),
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
