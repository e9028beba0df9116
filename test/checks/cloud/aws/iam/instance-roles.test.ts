import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/iam/instance-roles.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'every instance has a role', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } }],
  fail: [
    {
      name: 'an instance without a role',
      options: OPTIONS,
      inventory: { ec2: regional((region) => ec2Region(region === 'eu-west-1' ? { instances: [{ id: 'i-9', state: 'running', httpTokens: 'required', httpEndpoint: 'enabled', instanceProfileArn: null }] } : {})) },
      findings: [{ resourceId: `arn:aws:ec2:eu-west-1:${A}:instance/i-9`, severity: 'low' }],
    },
  ],
  partial: [deniedCase('EC2 denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
