import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/bucket-mfa-delete.js';
import { A, OPTIONS, bucket, deniedCase, emptyGlobal, global, globalScopeOf, s3Account } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'versioning with MFA delete', options: OPTIONS, inventory: { s3: global(s3Account()) } }],
  fail: [
    {
      name: 'versioning without MFA delete, and no versioning',
      options: OPTIONS,
      inventory: { s3: global(s3Account({ buckets: [bucket('a', { mfaDelete: 'Disabled' }), bucket('b', { versioning: null, mfaDelete: null })] })) },
      findings: [{ resourceId: 'arn:aws:s3:::a', severity: 'low' }, { resourceId: 'arn:aws:s3:::b', severity: 'low', title: 'versioning off' }],
    },
  ],
  partial: [deniedCase('S3 denied', ['s3'], { s3: emptyGlobal }, globalScopeOf(A))],
});
