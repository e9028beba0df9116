import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsCloudTrail } from '../collect/cis-collectors.js';
import { homeTrails } from './trails.js';

export default defineAwsCheck({
  id: 'aws.cloudtrail.log-file-validation',
  title: 'CloudTrail log file validation is on for every trail',
  severity: 'medium',
  description: 'DescribeTrails LogFileValidationEnabled, for each trail in its home region.',
  remediation: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation.',
  needs: { cloudtrail: awsCloudTrail },
  evaluate({ cloudtrail }) {
    return homeTrails(cloudtrail)
      .filter((t) => !t.trail.logFileValidationEnabled)
      .map((t) => awsFinding({ account: t.account, region: t.region, scope: t.scope, resourceId: t.trail.arn, title: `Trail ${t.trail.name} does not validate its log files`, severity: 'medium', evidence: { trail: t.trail.name } }));
  },
});
