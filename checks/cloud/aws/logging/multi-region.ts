import { defineAwsCheck } from '../aws-check.js';
import { awsCloudTrail } from '../collect/cis-collectors.js';
import { accountVerdicts, homeTrails, isCisTrail } from './trails.js';

export default defineAwsCheck({
  id: 'aws.cloudtrail.multi-region',
  title: 'A multi-region CloudTrail trail is logging all management events',
  severity: 'critical',
  description:
    'DescribeTrails, GetTrailStatus and GetEventSelectors: at least one trail with IsMultiRegionTrail, IsLogging and management events ReadWriteType All (or the advanced-selector equivalent). While a region is unread the control is unknown, since the trail may live there.',
  remediation: 'Create a multi-region trail (or an organization trail) with management events Read+Write and start logging it.',
  needs: { cloudtrail: awsCloudTrail },
  evaluate({ cloudtrail }) {
    const trails = homeTrails(cloudtrail);
    return accountVerdicts([cloudtrail], {
      what: 'cloudtrail',
      severity: 'critical',
      satisfied: (account) => trails.some((t) => t.account === account && isCisTrail(t.trail)),
      title: (account) => `${account} has no logging multi-region trail with all management events`,
      evidence: (account) => ({
        trails: trails
          .filter((t) => t.account === account)
          .map((t) => ({ arn: t.trail.arn, multiRegion: t.trail.isMultiRegionTrail, logging: t.trail.logging })),
      }),
    });
  },
});
