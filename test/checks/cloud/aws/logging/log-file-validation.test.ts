import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/log-file-validation.js';
import { A, OPTIONS, TRAIL_ARN, cloudTrailInventory, deniedCase, emptyRegional, regionScopeOf } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'validation on', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory() } }],
  fail: [{ name: 'validation off', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ logFileValidationEnabled: false }) }, findings: [{ resourceId: TRAIL_ARN, severity: 'medium', scope: regionScopeOf(A, 'us-east-1') }] }],
  partial: [deniedCase('DescribeTrails denied', ['cloudtrail'], { cloudtrail: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
