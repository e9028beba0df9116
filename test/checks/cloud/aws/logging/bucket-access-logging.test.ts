import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/bucket-access-logging.js';
import { A, OPTIONS, bucket, cloudTrailInventory, emptyGlobal, global, globalScopeOf, regionScopeOf, s3Account } from '../builders.js';

checkTester(check, {
  pass: [
    { name: 'trail bucket logs access', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(), s3: global(s3Account()) } },
    { name: 'trail bucket in another account is audited there', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ s3BucketName: 'central-archive' }), s3: global(s3Account()) } },
  ],
  fail: [
    {
      name: 'trail bucket without access logging',
      options: OPTIONS,
      inventory: { cloudtrail: cloudTrailInventory(), s3: global(s3Account({ buckets: [bucket('trail-logs', { loggingTargetBucket: null })] })) },
      findings: [{ resourceId: 'arn:aws:s3:::trail-logs', severity: 'medium', scope: globalScopeOf(A) }],
    },
  ],
  partial: [
    {
      name: 'S3 denied while CloudTrail was read',
      options: OPTIONS,
      collected: {
        cloudtrail: { data: cloudTrailInventory(), coverage: { ok: [regionScopeOf(A, 'eu-west-1'), regionScopeOf(A, 'us-east-1')], failed: [] } },
        s3: { data: emptyGlobal, coverage: { ok: [], failed: [{ scope: globalScopeOf(A), error: { name: 'CollectorAccessDenied', message: 's3:ListBuckets: AccessDenied' } }] } },
      },
      failedScopes: [globalScopeOf(A)],
    },
  ],
});
