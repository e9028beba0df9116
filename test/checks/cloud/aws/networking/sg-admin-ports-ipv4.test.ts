import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/networking/sg-admin-ports-ipv4.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

const rule = (protocol: string, from: number | null, to: number | null, ipv4: string[], ipv6: string[] = []) => ({ protocol, fromPort: from, toPort: to, ipv4, ipv6, peers: [] });
const withGroup = (...ingress: ReturnType<typeof rule>[]) => regional((r) => (r === 'us-east-1' ? ec2Region({ securityGroups: [{ id: 'sg-9', name: 'admin', vpcId: 'vpc-1', ingress, egress: [] }] }) : ec2Region()));
const rid = `arn:aws:ec2:us-east-1:${A}:security-group/sg-9`;
checkTester(check, {
  pass: [
    { name: 'only HTTPS from the world', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } },
    { name: 'SSH from a corporate range', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 22, 22, ['203.0.113.0/24'])) } },
    { name: 'SSH open to ::/0 is the other control', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 22, 22, [], ['::/0'])) } },
    { name: 'a custom admin port list leaves 22 to the owner', options: { ...OPTIONS, adminPorts: [2222] }, inventory: { ec2: withGroup(rule('tcp', 22, 22, ['0.0.0.0/0'])) } },
  ],
  fail: [
    { name: 'SSH from 0.0.0.0/0', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 22, 22, ['0.0.0.0/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'port(s) 22' }] },
    { name: 'all traffic from 0.0.0.0/0', options: OPTIONS, inventory: { ec2: withGroup(rule('-1', null, null, ['0.0.0.0/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: '22, 3389' }] },
    { name: 'a range covering RDP', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 3000, 4000, ['0.0.0.0/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'port(s) 3389' }] },
  ],
  partial: [deniedCase('DescribeSecurityGroups denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
