import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/networking/nacl-admin-ports.js';
import { A, OPTIONS, deniedCase, ec2Region, emptyRegional, regional, regionScopeOf } from '../builders.js';

type Entry = { ruleNumber: number; egress: boolean; action: string; protocol: string; cidr: string | null; fromPort: number | null; toPort: number | null };
const entry = (ruleNumber: number, action: string, protocol: string, cidr: string, from: number | null, to: number | null, egress = false): Entry => ({ ruleNumber, egress, action, protocol, cidr, fromPort: from, toPort: to });
const withAcl = (...entries: Entry[]) => regional((r) => (r === 'eu-west-1' ? ec2Region({ networkAcls: [{ id: 'acl-9', vpcId: 'vpc-1', entries }] }) : ec2Region()));
const rid = `arn:aws:ec2:eu-west-1:${A}:network-acl/acl-9`;
checkTester(check, {
  pass: [
    { name: 'only 443 open to the internet', options: OPTIONS, inventory: { ec2: regional(() => ec2Region()) } },
    { name: 'a lower-numbered deny shadows the allow-all', options: OPTIONS, inventory: { ec2: withAcl(entry(50, 'deny', '6', '0.0.0.0/0', 22, 22), entry(60, 'deny', '6', '0.0.0.0/0', 3389, 3389), entry(100, 'allow', '-1', '0.0.0.0/0', null, null)) } },
    { name: 'egress allow-all is not ingress', options: OPTIONS, inventory: { ec2: withAcl(entry(100, 'allow', '-1', '0.0.0.0/0', null, null, true)) } },
    { name: 'SSH open to a private range only', options: OPTIONS, inventory: { ec2: withAcl(entry(100, 'allow', '6', '10.0.0.0/8', 22, 22)) } },
  ],
  fail: [
    { name: 'the default allow-all ingress rule 100', options: OPTIONS, inventory: { ec2: withAcl(entry(100, 'allow', '-1', '0.0.0.0/0', null, null), entry(32767, 'deny', '-1', '0.0.0.0/0', null, null)) }, findings: [{ resourceId: rid, severity: 'high', title: '22, 3389' }] },
    { name: 'RDP open to ::/0', options: OPTIONS, inventory: { ec2: withAcl(entry(120, 'allow', '6', '::/0', 3380, 3400)) }, findings: [{ resourceId: rid, severity: 'high', title: 'port(s) 3389' }] },
  ],
  partial: [deniedCase('DescribeNetworkAcls denied', ['ec2'], { ec2: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
