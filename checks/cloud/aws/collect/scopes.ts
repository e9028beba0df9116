import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
import { z } from 'zod';
import type { CheckContext, Collected, Coverage } from '../../../../src/check-api/types.js';
import { awsClientsFrom, type AwsAccountRef, type AwsClientFactory } from './clients.js';
import { call, collectorError } from './aws-errors.js';
import { awsRegionName, regionScope, type AwsScopeOptions } from './scope-options.js';
import { mapLimit } from '../../../../src/check-api/map-limit.js';
import type { RegionalInventory, RegionRead } from './inventory.js';

export type { RegionalInventory, RegionRead } from './inventory.js';

export { awsAccountSchema, awsRegionName, awsScopeOptions, regionScope, type AwsScopeOptions } from './scope-options.js';

export interface AwsRegionRef {
  readonly account: AwsAccountRef;
  readonly region: string;
  readonly scope: string;
}

export interface ListedAccount {
  readonly account: AwsAccountRef;
  /** Enabled regions (opt-in-not-required or opted-in), sorted, minus the excluded ones. */
  readonly regions: readonly string[];
}

/**
 * Lists accounts and their enabled regions, fresh on every run: an attacker can opt a new region in between two ticks,
 * and a region nobody listed is a region nobody guards. An account whose regions cannot be listed fails as a whole.
 */
export async function listAwsScopes(ctx: CheckContext<AwsScopeOptions>, clients: AwsClientFactory): Promise<Collected<ListedAccount[]>> {
  const options = ctx.options;
  const failed: { scope: string; error: { name: string; message: string } }[] = [];
  const accounts = new Map<string, AwsAccountRef>(options.accounts.map((account) => [account.id, account]));
  if (options.organizationRoleName) {
    const admin = options.accounts[0]!;
    try {
      for (const member of await listOrganizationAccounts(clients, admin, options.homeRegion)) {
        if (!member.Id || member.Status !== 'ACTIVE' || accounts.has(member.Id)) continue;
        accounts.set(member.Id, { id: member.Id, roleArn: `arn:aws:iam::${member.Id}:role/${options.organizationRoleName}` });
      }
    } catch (error) {
      failed.push({ scope: `aws:organization`, error: collectorError((error as { cause?: unknown }).cause ?? error, 'organizations:ListAccounts') });
    }
  }
  const excluded = new Set(options.excludeRegions);
  const listed = await mapLimit([...accounts.values()], options.concurrency, async (account): Promise<ListedAccount | undefined> => {
    try {
      const out = await call('ec2:DescribeRegions', () => clients('ec2', options.homeRegion, account).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: ctx.signal }));
      const regions = regionList.parse(out.Regions ?? []);
      const enabled = regions.filter((r) => r.OptInStatus !== 'not-opted-in' && !excluded.has(r.RegionName)).map((r) => r.RegionName).sort();
      return { account, regions: enabled };
    } catch (error) {
      failed.push({ scope: `aws:${account.id}`, error: collectorError((error as { cause?: unknown }).cause ?? error, 'ec2:DescribeRegions') });
      return undefined;
    }
  });
  const data = listed.filter((entry): entry is ListedAccount => entry !== undefined);
  return { data, coverage: { ok: data.map((entry) => `aws:${entry.account.id}`), failed } };
}

const regionList = z.array(z.object({ RegionName: awsRegionName, OptInStatus: z.enum(['opt-in-not-required', 'opted-in', 'not-opted-in']) }));

async function listOrganizationAccounts(clients: AwsClientFactory, admin: AwsAccountRef, region: string): Promise<Account[]> {
  const all: Account[] = [];
  let token: string | undefined;
  do {
    const out = await call('organizations:ListAccounts', () => clients('organizations', region, admin).send(new ListAccountsCommand({ NextToken: token })));
    all.push(...(out.Accounts ?? []));
    token = out.NextToken;
  } while (token);
  return all;
}

/**
 * Reads one service in every enabled region of every account, a bounded number at a time, and reports coverage per
 * `aws:<account>/<region>`: a refused or failed region is listed as failed (partial run), never silently empty.
 */
export async function collectPerRegion<T>(
  ctx: CheckContext<AwsScopeOptions>,
  read: (ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal) => Promise<T>,
  /** The account and region list when the caller already has it (shared by every collector of a run group). */
  listed?: Collected<readonly ListedAccount[]>,
): Promise<Collected<RegionalInventory<T>>> {
  const clients = awsClientsFrom(ctx.services);
  const scopes = listed ?? (await listAwsScopes(ctx, clients));
  const refs: AwsRegionRef[] = scopes.data.flatMap((entry) => entry.regions.map((region) => ({ account: entry.account, region, scope: regionScope(entry.account.id, region) })));
  const failed: Coverage['failed'][number][] = [...scopes.coverage.failed];
  const regions: RegionRead<T>[] = [];
  let done = 0;
  await mapLimit(refs, ctx.options.concurrency, async (ref) => {
    try {
      regions.push({ account: ref.account.id, region: ref.region, scope: ref.scope, data: await read(ref, clients, ctx.signal) });
    } catch (error) {
      const operation = error instanceof Error && 'operation' in error ? String(error.operation) : 'read';
      failed.push({ scope: ref.scope, error: collectorError((error as { cause?: unknown }).cause ?? error, operation) });
    }
    ctx.progress(++done, refs.length, ref.scope);
  });
  regions.sort((a, b) => a.scope.localeCompare(b.scope));
  return {
    data: { regions, listed: scopes.data.map((entry) => ({ account: entry.account.id, regions: entry.regions })) },
    coverage: { ok: regions.map((r) => r.scope), failed },
  };
}

export { mapLimit } from '../../../../src/check-api/map-limit.js';

/** Finds the account ref (with its role) for an account id seen in an inventory. */
export function accountRef(options: AwsScopeOptions, id: string): AwsAccountRef {
  return options.accounts.find((account) => account.id === id) ?? (options.organizationRoleName ? { id, roleArn: `arn:aws:iam::${id}:role/${options.organizationRoleName}` } : { id });
}
