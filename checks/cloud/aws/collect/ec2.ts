import {
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  GetEbsEncryptionByDefaultCommand,
  GetInstanceMetadataDefaultsCommand,
  type DescribeInstancesCommandOutput,
  type DescribeNetworkAclsCommandOutput,
  type DescribeSecurityGroupsCommandOutput,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectRegional } from './account-scopes.js';
import type { AwsClientFactory } from './clients.js';
import { recordable, regionalInventorySchema, type RegionalInventory } from './inventory.js';
import { allPages, sender } from './paginate.js';
import type { AwsRegionRef } from './scopes.js';

const ruleSchema = z.strictObject({
  /** `-1` is every protocol; otherwise tcp, udp, icmp or a number. */
  protocol: z.string(),
  fromPort: z.number().int().nullable(),
  toPort: z.number().int().nullable(),
  ipv4: z.array(z.string()),
  ipv6: z.array(z.string()),
  /** Other security groups and prefix lists the rule refers to. */
  peers: z.array(z.string()),
});
export type SecurityGroupRule = z.output<typeof ruleSchema>;

export const ec2RegionSchema = z.strictObject({
  /** The account/region setting CIS audits (GetEbsEncryptionByDefault), not the volumes that happen to exist. */
  ebsEncryptionByDefault: z.boolean(),
  securityGroups: z.array(z.strictObject({ id: z.string(), name: z.string(), vpcId: z.string().nullable(), ingress: z.array(ruleSchema), egress: z.array(ruleSchema) })),
  networkAcls: z.array(
    z.strictObject({
      id: z.string(),
      vpcId: z.string().nullable(),
      entries: z.array(
        z.strictObject({
          ruleNumber: z.number().int(),
          egress: z.boolean(),
          action: z.string(),
          protocol: z.string(),
          cidr: z.string().nullable(),
          fromPort: z.number().int().nullable(),
          toPort: z.number().int().nullable(),
        }),
      ),
    }),
  ),
  vpcs: z.array(z.strictObject({ id: z.string(), isDefault: z.boolean() })),
  flowLogs: z.array(z.strictObject({ id: z.string(), resourceId: z.string(), status: z.string().nullable() })),
  instances: z.array(
    z.strictObject({ id: z.string(), state: z.string().nullable(), httpTokens: z.string().nullable(), httpEndpoint: z.string().nullable(), instanceProfileArn: z.string().nullable() }),
  ),
  /** The region's default for new instances (GetInstanceMetadataDefaults); null when none is set. */
  metadataDefaultHttpTokens: z.string().nullable(),
});
export type Ec2RegionState = z.output<typeof ec2RegionSchema>;
export const ec2InventorySchema = regionalInventorySchema(ec2RegionSchema);

function rules(permissions: readonly IpPermission[] | undefined): SecurityGroupRule[] {
  return (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort ?? null,
    toPort: p.ToPort ?? null,
    ipv4: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').sort(),
    ipv6: (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '').sort(),
    peers: [...(p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? ''), ...(p.PrefixListIds ?? []).map((l) => l.PrefixListId ?? '')].sort(),
  }));
}

export async function readEc2Region(ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal): Promise<Ec2RegionState> {
  const send = sender(clients('ec2', ref.region, ref.account), signal);
  const [ebs, groups, acls, vpcs, flowLogs, reservations, defaults] = await Promise.all([
    send<{ EbsEncryptionByDefault?: boolean }>('ec2:GetEbsEncryptionByDefault', new GetEbsEncryptionByDefaultCommand({})),
    allPages(
      (NextToken) => send<DescribeSecurityGroupsCommandOutput>('ec2:DescribeSecurityGroups', new DescribeSecurityGroupsCommand({ NextToken, MaxResults: 1000 })),
      (out) => out.SecurityGroups,
      (out) => out.NextToken,
    ),
    allPages(
      (NextToken) => send<DescribeNetworkAclsCommandOutput>('ec2:DescribeNetworkAcls', new DescribeNetworkAclsCommand({ NextToken, MaxResults: 1000 })),
      (out) => out.NetworkAcls,
      (out) => out.NextToken,
    ),
    allPages(
      (NextToken) => send<{ Vpcs?: { VpcId?: string; IsDefault?: boolean }[]; NextToken?: string }>('ec2:DescribeVpcs', new DescribeVpcsCommand({ NextToken, MaxResults: 1000 })),
      (out) => out.Vpcs,
      (out) => out.NextToken,
    ),
    allPages(
      (NextToken) =>
        send<{ FlowLogs?: { FlowLogId?: string; ResourceId?: string; FlowLogStatus?: string }[]; NextToken?: string }>('ec2:DescribeFlowLogs', new DescribeFlowLogsCommand({ NextToken, MaxResults: 1000 })),
      (out) => out.FlowLogs,
      (out) => out.NextToken,
    ),
    allPages(
      (NextToken) => send<DescribeInstancesCommandOutput>('ec2:DescribeInstances', new DescribeInstancesCommand({ NextToken, MaxResults: 1000 })),
      (out) => out.Reservations,
      (out) => out.NextToken,
    ),
    send<{ AccountLevel?: { HttpTokens?: string } }>('ec2:GetInstanceMetadataDefaults', new GetInstanceMetadataDefaultsCommand({})),
  ]);
  return ec2RegionSchema.parse({
    ebsEncryptionByDefault: ebs.EbsEncryptionByDefault ?? false,
    securityGroups: groups
      .map((g) => ({ id: g.GroupId ?? '', name: g.GroupName ?? '', vpcId: g.VpcId ?? null, ingress: rules(g.IpPermissions), egress: rules(g.IpPermissionsEgress) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    networkAcls: acls
      .map((acl) => ({
        id: acl.NetworkAclId ?? '',
        vpcId: acl.VpcId ?? null,
        entries: (acl.Entries ?? []).map((e) => ({
          ruleNumber: e.RuleNumber ?? 32767,
          egress: e.Egress ?? false,
          action: e.RuleAction ?? 'deny',
          protocol: e.Protocol ?? '-1',
          cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? null,
          fromPort: e.PortRange?.From ?? null,
          toPort: e.PortRange?.To ?? null,
        })),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    vpcs: vpcs.map((v) => ({ id: v.VpcId ?? '', isDefault: v.IsDefault ?? false })).sort((a, b) => a.id.localeCompare(b.id)),
    flowLogs: flowLogs.map((f) => ({ id: f.FlowLogId ?? '', resourceId: f.ResourceId ?? '', status: f.FlowLogStatus ?? null })).sort((a, b) => a.id.localeCompare(b.id)),
    instances: reservations
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => i.State?.Name !== 'terminated')
      .map((i) => ({
        id: i.InstanceId ?? '',
        state: i.State?.Name ?? null,
        httpTokens: i.MetadataOptions?.HttpTokens ?? null,
        httpEndpoint: i.MetadataOptions?.HttpEndpoint ?? null,
        instanceProfileArn: i.IamInstanceProfile?.Arn ?? null,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    metadataDefaultHttpTokens: defaults.AccountLevel?.HttpTokens ?? null,
  });
}

export const collectEc2 = recordable('ec2', { regions: [], listed: [] } as RegionalInventory<Ec2RegionState>, (ctx: CheckContext<AwsCisOptions>) => collectRegional(ctx, readEc2Region));
