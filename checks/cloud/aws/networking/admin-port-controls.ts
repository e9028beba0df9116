import type { FindingInput } from '../../../../src/check-api/types.js';
import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';
import type { Ec2RegionState, SecurityGroupRule } from '../collect/ec2.js';
import type { RegionRead } from '../collect/inventory.js';

const IPV4_WORLD = '0.0.0.0/0';
const IPV6_WORLD = '::/0';

/** Does a protocol/port range admit TCP (or UDP, for RDP over UDP) to `port`? `-1` is every protocol and port. */
function covers(protocol: string, from: number | null, to: number | null, port: number): boolean {
  if (protocol === '-1' || protocol === 'all') return true;
  if (!['tcp', 'udp', '6', '17'].includes(protocol)) return false;
  return (from ?? 0) <= port && port <= (to ?? 65535);
}

function sgOpenPorts(rule: SecurityGroupRule, world: string, ports: readonly number[]): number[] {
  const sources = world === IPV4_WORLD ? rule.ipv4 : rule.ipv6;
  return sources.includes(world) ? ports.filter((port) => covers(rule.protocol, rule.fromPort, rule.toPort, port)) : [];
}

/**
 * NACL entries are evaluated in rule-number order and the first match decides: an allow for the whole internet on the
 * port fails only if no lower-numbered deny for the whole internet covers that port first.
 */
function naclOpenPorts(entries: Ec2RegionState['networkAcls'][number]['entries'], ports: readonly number[]): number[] {
  const ingress = entries.filter((e) => !e.egress && (e.cidr === IPV4_WORLD || e.cidr === IPV6_WORLD)).sort((a, b) => a.ruleNumber - b.ruleNumber);
  return ports.filter((port) => ingress.find((e) => covers(e.protocol, e.fromPort, e.toPort, port))?.action === 'allow');
}

/** The remote-administration-port family (CIS v3 5.1-5.3): one evaluator, one row per source of rules and address family. */
export const ADMIN_PORT_CONTROLS = [
  { id: 'aws.ec2.nacl-admin-ports', title: 'No network ACL admits the internet to remote administration ports', source: 'nacl', world: 'any' },
  { id: 'aws.ec2.sg-admin-ports-ipv4', title: 'No security group admits 0.0.0.0/0 to remote administration ports', source: 'security-group', world: IPV4_WORLD },
  { id: 'aws.ec2.sg-admin-ports-ipv6', title: 'No security group admits ::/0 to remote administration ports', source: 'security-group', world: IPV6_WORLD },
] as const;

type AdminPortControl = (typeof ADMIN_PORT_CONTROLS)[number];

function findings(control: AdminPortControl, region: RegionRead<Ec2RegionState>, ports: readonly number[]): FindingInput[] {
  const at = (kind: string, id: string) => `arn:aws:ec2:${region.region}:${region.account}:${kind}/${id}`;
  if (control.source === 'nacl') {
    return region.data.networkAcls.flatMap((acl) => {
      const open = naclOpenPorts(acl.entries, ports);
      return open.length ? [awsFinding({ account: region.account, region: region.region, scope: region.scope, resourceId: at('network-acl', acl.id), title: `Network ACL ${acl.id} admits the internet to port(s) ${open.join(', ')}`, severity: 'high', evidence: { ports: open, vpc: acl.vpcId } })] : [];
    });
  }
  return region.data.securityGroups.flatMap((group) => {
    const open = [...new Set(group.ingress.flatMap((rule) => sgOpenPorts(rule, control.world, ports)))].sort((a, b) => a - b);
    return open.length
      ? [awsFinding({ account: region.account, region: region.region, scope: region.scope, resourceId: at('security-group', group.id), title: `Security group ${group.id} (${group.name}) admits ${control.world} to port(s) ${open.join(', ')}`, severity: 'high', evidence: { ports: open, vpc: group.vpcId } })]
      : [];
  });
}

export function defineAdminPortCheck(id: AdminPortControl['id']) {
  const control = ADMIN_PORT_CONTROLS.find((row) => row.id === id)!;
  return defineAwsCheck({
    id: control.id,
    title: control.title,
    severity: 'high',
    description: `${control.source === 'nacl' ? 'DescribeNetworkAcls ingress entries from 0.0.0.0/0 or ::/0, first match by rule number' : `DescribeSecurityGroups ingress rules from ${control.world}`}, against the \`adminPorts\` option (CIS: 22 and 3389; protocol -1 covers every port).`,
    remediation: 'Remove the rule; reach hosts through SSM Session Manager, a bastion or a VPN with a narrow source range.',
    needs: { ec2: awsEc2 },
    evaluate({ ec2 }, options) {
      return ec2.regions.flatMap((region) => findings(control, region, options.adminPorts));
    },
  });
}
