import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/kms-encryption.js';
import { A, OPTIONS, TRAIL_ARN, cloudTrailInventory, deniedCase, emptyRegional, regionScopeOf } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'encrypted with a KMS key', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory() } }],
  fail: [{ name: 'SSE-S3 only', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ kmsKeyId: null }) }, findings: [{ resourceId: TRAIL_ARN, severity: 'medium' }] }],
  partial: [deniedCase('DescribeTrails denied', ['cloudtrail'], { cloudtrail: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
