import { defineAwsCheck } from '../aws-check.js';
import { awsCloudTrail } from '../collect/cis-collectors.js';
import { accountVerdicts, homeTrails, logsS3DataEvents } from './trails.js';

/** CIS 3.8 (write) and 3.9 (read) differ only in the direction; one factory, two checks. */
export function defineS3DataEventsCheck(kind: 'read' | 'write') {
  return defineAwsCheck({
    id: kind === 'read' ? 'aws.cloudtrail.s3-read-data-events' : 'aws.cloudtrail.s3-write-data-events',
    title: `CloudTrail logs S3 object-level ${kind} events for every bucket`,
    severity: 'low',
    description: `GetEventSelectors: a multi-region, logging trail with S3 data events (${kind === 'read' ? 'ReadOnly or All' : 'WriteOnly or All'}) for all buckets, basic or advanced selectors. Unknown while a region is unread.`,
    remediation: `aws cloudtrail put-event-selectors --trail-name <trail> with a data resource AWS::S3::Object for arn:aws:s3 and ReadWriteType ${kind === 'read' ? 'ReadOnly' : 'WriteOnly'} or All.`,
    needs: { cloudtrail: awsCloudTrail },
    evaluate({ cloudtrail }) {
      const trails = homeTrails(cloudtrail);
      return accountVerdicts([cloudtrail], {
        what: `cloudtrail-s3-${kind}-events`,
        severity: 'low',
        satisfied: (account) => trails.some((t) => t.account === account && t.trail.isMultiRegionTrail && t.trail.logging && logsS3DataEvents(t.trail, kind)),
        title: (account) => `${account} does not log S3 object-level ${kind} events`,
        evidence: (account) => ({ trails: trails.filter((t) => t.account === account).map((t) => t.trail.arn) }),
      });
    },
  });
}
