import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/bucket-tls-only.js';
import { A, OPTIONS, bucket, deniedCase, emptyGlobal, global, globalScopeOf, s3Account } from '../builders.js';

const allowOnly = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: '*' }] });
const wrongValue = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] });
const awsStar = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { AWS: ['*'] }, Action: ['s3:*'], Condition: { Bool: { 'aws:SecureTransport': false } } }] });
checkTester(check, {
  pass: [
    { name: 'every bucket denies insecure transport', options: OPTIONS, inventory: { s3: global(s3Account()) } },
    { name: 'Principal {AWS: [*]} and a boolean false also count', options: OPTIONS, inventory: { s3: global(s3Account({ buckets: [bucket('x', { policy: awsStar })] })) } },
  ],
  fail: [
    {
      name: 'no policy, an allow-only policy and a deny on the wrong value',
      options: OPTIONS,
      inventory: { s3: global(s3Account({ buckets: [bucket('none', { policy: null }), bucket('allow', { policy: allowOnly }), bucket('wrong', { policy: wrongValue }), bucket('good')] })) },
      findings: [
        { resourceId: 'arn:aws:s3:::none', severity: 'medium' },
        { resourceId: 'arn:aws:s3:::allow', severity: 'medium' },
        { resourceId: 'arn:aws:s3:::wrong', severity: 'medium', scope: globalScopeOf(A) },
      ],
    },
  ],
  partial: [deniedCase('S3 denied', ['s3'], { s3: emptyGlobal }, globalScopeOf(A))],
});
