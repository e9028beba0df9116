import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/networking/default-sg-restricts-all.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

const allEgress = { protocol: '-1', fromPort: null, toPort: null, ipv4: ['0.0.0.0/0'], ipv6: [], peers: [] };
const selfIngress = { protocol: '-1', fromPort: null, toPort: null, ipv4: [], ipv6: [], peers: ['sg-default'] };
const withDefault = (ingress: (typeof selfIngress)[], egress: (typeof allEgress)[]) => regional((r) => ec2Region(r === 'eu-west-1' ? { securityGroups: [{ id: 'sg-default', name: 'default', vpcId: 'vpc-1', ingress, egress }] } : {}));
const rid = `arn:aws:ec2:eu-west-1:${A}:security-group/sg-default`;
checkTester(check, {
  pass: [{ name: 'default groups with no rules; other groups may have rules', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } }],
  fail: [
    // A fresh default group: no inbound rule but AWS's one allow-all outbound rule. CIS 5.4 says restrict ALL traffic.
    { name: 'a fresh default group with its one default egress rule', options: OPTIONS, inventory: { ec2: withDefault([], [allEgress]) }, findings: [{ resourceId: rid, severity: 'medium', title: '0 inbound and 1 outbound' }] },
    { name: 'the untouched default group: self-referencing ingress and egress', options: OPTIONS, inventory: { ec2: withDefault([selfIngress], [allEgress]) }, findings: [{ resourceId: rid, severity: 'medium', title: '1 inbound and 1 outbound' }] },
  ],
  partial: [deniedCase('DescribeSecurityGroups denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
