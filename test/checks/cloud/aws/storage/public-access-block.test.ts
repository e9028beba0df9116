import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/public-access-block.js';
import { A, FULL_BLOCK, OPTIONS, bucket, deniedCase, emptyGlobal, global, globalScopeOf, s3Account } from '../builders.js';

checkTester(check, {
  pass: [
    { name: 'account-level block covers every bucket', options: OPTIONS, inventory: { s3: global(s3Account({ buckets: [bucket('open', { publicAccessBlock: null })] })) } },
    { name: 'no account block but every bucket blocks', options: OPTIONS, inventory: { s3: global(s3Account({ accountPublicAccessBlock: null })) } },
  ],
  fail: [
    {
      name: 'no account block (NoSuchPublicAccessBlockConfiguration); one bucket unblocked, one partly',
      options: OPTIONS,
      inventory: { s3: global(s3Account({ accountPublicAccessBlock: null, buckets: [bucket('open', { publicAccessBlock: null }), bucket('half', { publicAccessBlock: { ...FULL_BLOCK, restrictPublicBuckets: false } }), bucket('closed')] })) },
      findings: [{ resourceId: 'arn:aws:s3:::open', severity: 'high' }, { resourceId: 'arn:aws:s3:::half', severity: 'high' }],
    },
  ],
  partial: [deniedCase('S3 denied', ['s3'], { s3: emptyGlobal }, globalScopeOf(A))],
});
