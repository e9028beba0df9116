import type { FindingInput } from '../../../../src/check-api/types.js';
import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsEc2 } from '../collect/cis-collectors.js';
import type { Ec2RegionState, SecurityGroupRule } from '../collect/ec2.js';
import type { RegionRead } from '../collect/inventory.js';

const IPV4_WORLD = '0.0.0.0/0';
const IPV6_WORLD = '::/0';
type World = typeof IPV4_WORLD | typeof IPV6_WORLD;
type Protocol = 'tcp' | 'udp';

// Rules name a protocol by keyword or by IANA number, depending on how they were written.
const PROTOCOL_NUMBER: Record<Protocol, string> = { tcp: '6', udp: '17' };

/** Does a protocol/port range admit one of `protocols` to `port`? `-1` is every protocol and port. */
function covers(protocol: string, from: number | null, to: number | null, port: number, protocols: readonly Protocol[]): boolean {
  if (protocol === '-1' || protocol === 'all') return true;
  if (!protocols.some((p) => protocol === p || protocol === PROTOCOL_NUMBER[p])) return false;
  return (from ?? 0) <= port && port <= (to ?? 65535);
}

function sgOpenPorts(rule: SecurityGroupRule, world: World, ports: readonly number[], protocols: readonly Protocol[]): number[] {
  const sources = world === IPV4_WORLD ? rule.ipv4 : rule.ipv6;
  return sources.includes(world) ? ports.filter((port) => covers(rule.protocol, rule.fromPort, rule.toPort, port, protocols)) : [];
}

/**
 * NACL entries are evaluated in rule-number order and the first match decides: an allow for the whole internet on the
 * port fails only if no lower-numbered deny for the whole internet covers that port first.
 */
function naclOpenPorts(entries: Ec2RegionState['networkAcls'][number]['entries'], ports: readonly number[], protocols: readonly Protocol[]): number[] {
  const ingress = entries.filter((e) => !e.egress && (e.cidr === IPV4_WORLD || e.cidr === IPV6_WORLD)).sort((a, b) => a.ruleNumber - b.ruleNumber);
  return ports.filter((port) => ingress.find((e) => covers(e.protocol, e.fromPort, e.toPort, port, protocols))?.action === 'allow');
}

const ADMIN_REMEDIATION = 'Remove the rule; reach hosts through SSM Session Manager, a bastion or a VPN with a narrow source range.';

/**
 * Ports open to the whole internet: one evaluator, one row per control. The remote-administration rows (CIS v3 5.1-5.3,
 * v5 5.2-5.4) take their ports from the `adminPorts` option, TCP and UDP (RDP also runs over UDP). The CIFS row (CIS v4/v5
 * 5.1.2) is fixed to TCP 445 (SMB direct) and 139 (SMB over NetBIOS), the ports Prowler's
 * ec2_instance_port_cifs_exposed_to_internet treats as CIFS; CIS's own audit names only 445, but 139 carries the same
 * protocol, and the control asks for either address family.
 */
export const EXPOSED_PORT_CONTROLS = [
  { id: 'aws.ec2.nacl-admin-ports', title: 'No network ACL admits the internet to remote administration ports', source: 'nacl', worlds: [IPV4_WORLD, IPV6_WORLD], ports: 'adminPorts', protocols: ['tcp', 'udp'], remediation: ADMIN_REMEDIATION },
  { id: 'aws.ec2.sg-admin-ports-ipv4', title: 'No security group admits 0.0.0.0/0 to remote administration ports', source: 'security-group', worlds: [IPV4_WORLD], ports: 'adminPorts', protocols: ['tcp', 'udp'], remediation: ADMIN_REMEDIATION },
  { id: 'aws.ec2.sg-admin-ports-ipv6', title: 'No security group admits ::/0 to remote administration ports', source: 'security-group', worlds: [IPV6_WORLD], ports: 'adminPorts', protocols: ['tcp', 'udp'], remediation: ADMIN_REMEDIATION },
  {
    id: 'aws.ec2.sg-cifs-ports',
    title: 'No security group admits 0.0.0.0/0 or ::/0 to CIFS/SMB (TCP 139, 445)',
    source: 'security-group',
    worlds: [IPV4_WORLD, IPV6_WORLD],
    ports: [139, 445],
    protocols: ['tcp'],
    remediation: 'Remove the rule or narrow its source to trusted networks; reach file shares over a VPN or Direct Connect, never from the internet.',
  },
] as const satisfies readonly {
  id: string;
  title: string;
  source: 'nacl' | 'security-group';
  worlds: readonly World[];
  ports: 'adminPorts' | readonly number[];
  protocols: readonly Protocol[];
  remediation: string;
}[];

type ExposedPortControl = (typeof EXPOSED_PORT_CONTROLS)[number];

function findings(control: ExposedPortControl, region: RegionRead<Ec2RegionState>, ports: readonly number[]): FindingInput[] {
  const at = (kind: string, id: string) => `arn:aws:ec2:${region.region}:${region.account}:${kind}/${id}`;
  if (control.source === 'nacl') {
    return region.data.networkAcls.flatMap((acl) => {
      const open = naclOpenPorts(acl.entries, ports, control.protocols);
      return open.length ? [awsFinding({ account: region.account, region: region.region, scope: region.scope, resourceId: at('network-acl', acl.id), title: `Network ACL ${acl.id} admits the internet to port(s) ${open.join(', ')}`, severity: 'high', evidence: { ports: open, vpc: acl.vpcId } })] : [];
    });
  }
  return region.data.securityGroups.flatMap((group) => {
    const openFrom = (world: World) => [...new Set(group.ingress.flatMap((rule) => sgOpenPorts(rule, world, ports, control.protocols)))];
    const byWorld = control.worlds.map((world) => ({ world, ports: openFrom(world) })).filter((w) => w.ports.length > 0);
    const open = [...new Set(byWorld.flatMap((w) => w.ports))].sort((a, b) => a - b);
    const sources = byWorld.map((w) => w.world);
    return open.length
      ? [awsFinding({ account: region.account, region: region.region, scope: region.scope, resourceId: at('security-group', group.id), title: `Security group ${group.id} (${group.name}) admits ${sources.join(' and ')} to port(s) ${open.join(', ')}`, severity: 'high', evidence: { ports: open, sources, vpc: group.vpcId } })]
      : [];
  });
}

function descriptionOf(control: ExposedPortControl): string {
  const rules = control.source === 'nacl' ? 'DescribeNetworkAcls ingress entries from 0.0.0.0/0 or ::/0, first match by rule number' : `DescribeSecurityGroups ingress rules from ${control.worlds.join(' or ')}`;
  const ports = control.ports === 'adminPorts' ? 'against the `adminPorts` option (CIS: 22 and 3389)' : `to ${control.protocols.map((p) => p.toUpperCase()).join('/')} ${control.ports.join(' and ')}, port ranges included`;
  return `${rules}, ${ports}; protocol -1 covers every port.`;
}

export function defineExposedPortCheck(id: ExposedPortControl['id']) {
  const control: ExposedPortControl = EXPOSED_PORT_CONTROLS.find((row) => row.id === id)!;
  return defineAwsCheck({
    id: control.id,
    title: control.title,
    severity: 'high',
    description: descriptionOf(control),
    remediation: control.remediation,
    needs: { ec2: awsEc2 },
    evaluate({ ec2 }, options) {
      const ports = control.ports === 'adminPorts' ? options.adminPorts : control.ports;
      return ec2.regions.flatMap((region) => findings(control, region, ports));
    },
  });
}
