import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/vpc-flow-logs.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

checkTester(check, {
  pass: [{ name: 'every VPC has an active flow log', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } }],
  fail: [
    {
      name: 'a VPC without a flow log and one whose flow log failed',
      options: OPTIONS,
      inventory: { ec2: regional((r) => (r === 'eu-west-1' ? ec2Region({ vpcs: [{ id: 'vpc-1', isDefault: true }, { id: 'vpc-2', isDefault: false }, { id: 'vpc-3', isDefault: false }], flowLogs: [{ id: 'fl-1', resourceId: 'vpc-1', status: 'ACTIVE' }, { id: 'fl-3', resourceId: 'vpc-3', status: 'FAILED' }] }) : ec2Region())) },
      findings: [{ resourceId: `arn:aws:ec2:eu-west-1:${A}:vpc/vpc-2`, severity: 'medium' }, { resourceId: `arn:aws:ec2:eu-west-1:${A}:vpc/vpc-3`, severity: 'medium' }],
    },
  ],
  partial: [deniedCase('DescribeFlowLogs denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
