import { DescribeAddressesCommand, DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { collectorErrorOf, withBackoff, type BackoffOptions } from './aws-backoff.js';

/** `ctx.services.ec2`: the client for an account and region (assume-role and credentials are the caller's business). */
export type Ec2Clients = (account: string, region: string) => EC2Client;

const addressesPage = z.object({ Addresses: z.array(z.object({ PublicIp: z.string().optional(), AllocationId: z.string().optional() })).default([]) });
const interfacesPage = z.object({
  NetworkInterfaces: z
    .array(
      z.object({
        NetworkInterfaceId: z.string().optional(),
        Association: z.object({ PublicIp: z.string().optional() }).optional(),
        PrivateIpAddresses: z.array(z.object({ Association: z.object({ PublicIp: z.string().optional() }).optional() })).optional(),
        Ipv6Addresses: z.array(z.object({ Ipv6Address: z.string().optional() })).optional(),
      }),
    )
    .default([]),
  NextToken: z.string().optional(),
});

export interface Ec2AddressRead {
  readonly scope: string;
  readonly addresses: string[];
  readonly error?: { name: string; message: string };
}

export function ec2Scope(account: string, region: string): string {
  return `aws:${account}/${region}`;
}

/**
 * Every public address the account holds in the region: Elastic IPs (allocated, attached or not) and the public
 * IPv4/IPv6 addresses of network interfaces, which cover instances, NAT gateways, load balancers and Fargate tasks.
 */
export async function readEc2Addresses(client: EC2Client, account: string, region: string, signal: AbortSignal, backoff?: BackoffOptions): Promise<Ec2AddressRead> {
  const scope = ec2Scope(account, region);
  const addresses = new Set<string>();
  try {
    const eips = addressesPage.parse(await withBackoff(() => client.send(new DescribeAddressesCommand({}), { abortSignal: signal }), signal, backoff));
    for (const address of eips.Addresses) if (address.PublicIp) addresses.add(address.PublicIp);
    let token: string | undefined;
    do {
      const input = { MaxResults: 1000, ...(token ? { NextToken: token } : {}) };
      const page = interfacesPage.parse(await withBackoff(() => client.send(new DescribeNetworkInterfacesCommand(input), { abortSignal: signal }), signal, backoff));
      for (const eni of page.NetworkInterfaces) {
        if (eni.Association?.PublicIp) addresses.add(eni.Association.PublicIp);
        for (const privateIp of eni.PrivateIpAddresses ?? []) if (privateIp.Association?.PublicIp) addresses.add(privateIp.Association.PublicIp);
        for (const v6 of eni.Ipv6Addresses ?? []) if (v6.Ipv6Address) addresses.add(v6.Ipv6Address.toLowerCase());
      }
      token = page.NextToken;
    } while (token);
    return { scope, addresses: [...addresses].sort() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { scope, addresses: [], error: collectorErrorOf(error) };
  }
}
