import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/networking/imdsv2-required.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

const instance = (id: string, httpTokens: string | null, httpEndpoint = 'enabled') => ({ id, state: 'running', httpTokens, httpEndpoint, instanceProfileArn: null });
checkTester(check, {
  pass: [
    { name: 'tokens required', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } },
    { name: 'metadata endpoint disabled', options: OPTIONS, inventory: { ec2: regional(() => ec2Region({ instances: [instance('i-2', 'optional', 'disabled')] })) } },
  ],
  fail: [{ name: 'an instance accepting IMDSv1', options: OPTIONS, inventory: { ec2: regional((r) => ec2Region(r === 'us-east-1' ? { instances: [instance('i-3', 'optional')] } : {})) }, findings: [{ resourceId: `arn:aws:ec2:us-east-1:${A}:instance/i-3`, severity: 'high' }] }],
  partial: [deniedCase('DescribeInstances denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
