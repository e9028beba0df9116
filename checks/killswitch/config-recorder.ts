import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { configBaseline, configDrift, hasConfigDrift } from './config-drift.js';
import { awsKillswitchOptions, regionResourceId } from './options.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectConfigRecorders = lazyCollector(() => import('../cloud/aws/collect/config.js').then((m) => m.collectConfigRecorders));
const remediateConfigRecorders = lazyStep(() => import('./remediate/config.js').then((m) => m.remediateConfigRecorders));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('config');

export default defineCheck({
  id: 'killswitch.config-recorder',
  title: 'AWS Config records all resources in every region and account',
  area: 'killswitch',
  severity: 'critical',
  description:
    'Reads the configuration recorder, its status and the delivery channel in every enabled region: stopped ' +
    '(StopConfigurationRecorder), recorder or delivery channel deleted, or recording narrowed from all resources. In ' +
    'enforce mode it re-creates what was deleted from the baseline (recorder, then channel) and starts the recorder.',
  remediation:
    'PutConfigurationRecorder and PutDeliveryChannel from the baseline if they were deleted, then ' +
    'StartConfigurationRecorder; find the principal behind StopConfigurationRecorder/DeleteConfigurationRecorder.',
  references: [
    { framework: 'cis-aws', version: '3.0.0', control: '3.3', title: 'AWS Config is enabled in all regions' },
    { framework: 'cis-aws', version: '6.0.0', control: '4.3', title: 'AWS Config is enabled in all regions' },
    { framework: 'aws-fsbp', control: 'Config.1' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: awsKillswitchOptions(configBaseline),
  needs: { config: collectConfigRecorders, baseline: approved },
  evaluate({ config, baseline }) {
    const findings: FindingInput[] = [];
    for (const region of config.regions) {
      const drift = configDrift(region.data, baseline.baseline);
      if (!hasConfigDrift(drift)) continue;
      const where = `${region.account}/${region.region}`;
      const what = [drift.recorderMissing && 'recorder deleted', drift.channelMissing && 'delivery channel deleted', drift.stopped && 'recorder stopped', drift.recordingNarrowed && 'recording narrowed']
        .filter(Boolean)
        .join(', ');
      findings.push({
        resourceId: regionResourceId(region.account, region.region, 'config/recorder'),
        key: 'recorder',
        scope: region.scope,
        title: `AWS Config is not recording in ${where}: ${what}`,
        severity: drift.recordingNarrowed && !drift.recorderMissing && !drift.channelMissing && !drift.stopped ? 'high' : 'critical',
        evidence: {
          account: region.account,
          region: region.region,
          ...drift,
          recorder: region.data.recorder ? { ...region.data.recorder, resourceTypes: [...region.data.recorder.resourceTypes] } : null,
          lastStatus: region.data.lastStatus,
          baseline: baselineEvidence(baseline),
        },
        location: { region: region.region },
        tags: ['aws', 'config', `account:${region.account}`],
      });
    }
    return findings;
  },
  remediate: remediateConfigRecorders,
});
