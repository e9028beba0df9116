import { DescribeHubCommand, GetEnabledStandardsCommand } from '@aws-sdk/client-securityhub';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { AwsOperationError, awsErrorCode, call } from './aws-errors.js';
import type { AwsClientFactory } from './clients.js';
import { collectPerRegion, type AwsRegionRef, type AwsScopeOptions, type RegionalInventory } from './scopes.js';

export interface SecurityHubRegionState {
  readonly enabled: boolean;
  readonly hubArn: string | null;
  /** Standards ARNs with a subscription that is not being deleted. */
  readonly standards: readonly { readonly arn: string; readonly status: string }[];
}

const subscriptionSchema = z.object({ StandardsArn: z.string(), StandardsStatus: z.string() });

/**
 * DescribeHub answers InvalidAccessException ("not subscribed") when Security Hub is off: that is the state we look
 * for, not a failure to look. AccessDenied still is a failure to look.
 */
export async function readSecurityHubRegion(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<SecurityHubRegionState> {
  const client = clients('securityhub', ref.region, ref.account);
  let hubArn: string;
  try {
    const hub = await client.send(new DescribeHubCommand({}), { abortSignal: signal });
    hubArn = z.string().parse(hub.HubArn);
  } catch (error) {
    if (awsErrorCode(error) === 'InvalidAccessException') return { enabled: false, hubArn: null, standards: [] };
    throw new AwsOperationError('securityhub:DescribeHub', error);
  }
  const standards: { arn: string; status: string }[] = [];
  let token: string | undefined;
  do {
    const out = await call('securityhub:GetEnabledStandards', () => client.send(new GetEnabledStandardsCommand({ NextToken: token }), { abortSignal: signal }));
    for (const sub of z.array(subscriptionSchema).parse(out.StandardsSubscriptions ?? [])) {
      if (sub.StandardsStatus !== 'DELETING') standards.push({ arn: sub.StandardsArn, status: sub.StandardsStatus });
    }
    token = out.NextToken;
  } while (token);
  return { enabled: true, hubArn, standards: standards.sort((a, b) => a.arn.localeCompare(b.arn)) };
}

export function collectSecurityHub(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<SecurityHubRegionState>>> {
  return collectPerRegion(ctx, readSecurityHubRegion);
}
