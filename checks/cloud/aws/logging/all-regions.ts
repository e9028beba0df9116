import { defineAwsCheck, awsFinding, awsResourceId } from '../aws-check.js';
import { awsConfig } from '../collect/cis-collectors.js';
import { accountVerdicts } from './trails.js';

export default defineAwsCheck({
  id: 'aws.config.all-regions',
  title: 'AWS Config records all resource types in every enabled region',
  severity: 'medium',
  description:
    'DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus in every region: a recorder that records all supported types, is recording and last succeeded; global resource types in at least one region.',
  remediation: 'Create a recorder with allSupported=true and a delivery channel, start it in every region, and include global resources in one region.',
  needs: { config: awsConfig },
  evaluate({ config }) {
    const regional = config.regions
      .filter((r) => !(r.data.recorder?.allSupported && r.data.recording && (r.data.lastStatus === null || r.data.lastStatus === 'SUCCESS' || r.data.lastStatus === 'PENDING')))
      .map((r) =>
        awsFinding({
          account: r.account,
          region: r.region,
          scope: r.scope,
          resourceId: awsResourceId(r.account, r.region, 'config-recorder'),
          title: r.data.recorder ? `Config recorder in ${r.account}/${r.region} is not recording everything (recording ${r.data.recording}, last ${r.data.lastStatus ?? 'none'})` : `No Config recorder in ${r.account}/${r.region}`,
          severity: 'medium',
          evidence: { recorder: r.data.recorder?.name ?? null, allSupported: r.data.recorder?.allSupported ?? false, recording: r.data.recording, lastStatus: r.data.lastStatus },
        }),
      );
    // Global resources (IAM) need recording in one region only; which one does not matter (Steampipe #26).
    const global = accountVerdicts([config], {
      what: 'config-global-resources',
      severity: 'medium',
      satisfied: (account) => config.regions.some((r) => r.account === account && r.data.recording && r.data.recorder?.includeGlobalResourceTypes === true),
      title: (account) => `No region of ${account} records global resource types (IAM) in AWS Config`,
      evidence: () => ({ includeGlobalResourceTypes: false }),
    });
    return [...regional, ...global];
  },
});
