import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/networking/sg-cifs-ports.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

const rule = (protocol: string, from: number | null, to: number | null, ipv4: string[], ipv6: string[] = []) => ({ protocol, fromPort: from, toPort: to, ipv4, ipv6, peers: [] });
const withGroup = (...ingress: ReturnType<typeof rule>[]) => regional((r) => (r === 'us-east-1' ? ec2Region({ securityGroups: [{ id: 'sg-7', name: 'files', vpcId: 'vpc-1', ingress, egress: [] }] }) : ec2Region()));
const rid = `arn:aws:ec2:us-east-1:${A}:security-group/sg-7`;
checkTester(check, {
  pass: [
    { name: 'only HTTPS from the world', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } },
    { name: 'SMB from a corporate range, IPv4 and IPv6', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 445, 445, ['10.0.0.0/8'], ['2001:db8::/32'])) } },
    { name: 'a world-open range that stops short of 139', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 80, 138, ['0.0.0.0/0'], ['::/0'])) } },
    { name: 'UDP 445 from the world is not SMB', options: OPTIONS, inventory: { ec2: withGroup(rule('udp', 445, 445, ['0.0.0.0/0'])) } },
    { name: 'SSH open to the world is the admin-ports controls, not this one', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 22, 22, ['0.0.0.0/0'], ['::/0'])) } },
    { name: 'a region that could not be read yields no verdict (the run is partial, so unknown)', options: OPTIONS, inventory: { ec2: regional(() => ec2Region(), { unread: ['us-east-1'] }) } },
  ],
  fail: [
    { name: 'TCP 445 from 0.0.0.0/0', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 445, 445, ['0.0.0.0/0'])) }, findings: [{ resourceId: rid, severity: 'high', scope: regionScopeOf(A, 'us-east-1'), title: 'admits 0.0.0.0/0 to port(s) 445' }] },
    { name: 'TCP 445 from ::/0', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 445, 445, [], ['::/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'admits ::/0 to port(s) 445' }] },
    { name: 'protocol number 6 on 139 from 0.0.0.0/0', options: OPTIONS, inventory: { ec2: withGroup(rule('6', 139, 139, ['0.0.0.0/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'port(s) 139' }] },
    { name: 'a range covering 445 from ::/0', options: OPTIONS, inventory: { ec2: withGroup(rule('tcp', 400, 500, [], ['::/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'admits ::/0 to port(s) 445' }] },
    { name: 'all traffic (protocol -1) from both families', options: OPTIONS, inventory: { ec2: withGroup(rule('-1', null, null, ['0.0.0.0/0'], ['::/0'])) }, findings: [{ resourceId: rid, severity: 'high', title: 'admits 0.0.0.0/0 and ::/0 to port(s) 139, 445' }] },
    {
      name: 'two groups in two regions, each open on one family',
      options: OPTIONS,
      inventory: {
        ec2: regional((r) => ec2Region({ securityGroups: [{ id: `sg-${r}`, name: 'smb', vpcId: 'vpc-1', ingress: [r === 'us-east-1' ? rule('tcp', 0, 65535, ['0.0.0.0/0']) : rule('tcp', 445, 445, [], ['::/0'])], egress: [] }] })),
      },
      findings: [
        { resourceId: `arn:aws:ec2:us-east-1:${A}:security-group/sg-us-east-1`, severity: 'high', scope: regionScopeOf(A, 'us-east-1'), title: '0.0.0.0/0 to port(s) 139, 445' },
        { resourceId: `arn:aws:ec2:eu-west-1:${A}:security-group/sg-eu-west-1`, severity: 'high', scope: regionScopeOf(A, 'eu-west-1'), title: '::/0 to port(s) 445' },
      ],
    },
  ],
  partial: [deniedCase('DescribeSecurityGroups denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
