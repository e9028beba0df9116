import type { CheckContext, Collected, Coverage } from '../../../../src/check-api/types.js';
import { sharedCollector } from '../../../../src/check-api/shared-collector.js';
import { collectorError } from './aws-errors.js';
import { awsClientsFrom, type AwsAccountRef, type AwsClientFactory } from './clients.js';
import type { ReadError } from './paginate.js';
import { allRegionsScope, globalScope, type GlobalInventory, type RegionalInventory } from './inventory.js';
import { mapLimit } from '../../../../src/check-api/map-limit.js';
import { collectPerRegion, listAwsScopes, regionScope, type AwsRegionRef, type ListedAccount } from './scopes.js';
import type { AwsCisOptions } from '../options.js';

/**
 * Accounts (listed, or every ACTIVE one of the organization) and their enabled regions, asked once per run group: every
 * CIS collector builds on this, so `audit run aws` calls DescribeRegions once per account, not once per service.
 */
export const awsAccountScopes = sharedCollector((ctx: CheckContext<AwsCisOptions>) => listAwsScopes(ctx, awsClientsFrom(ctx.services)));

function scopesOf(ctx: CheckContext<AwsCisOptions>): Promise<Collected<readonly ListedAccount[]>> {
  return ctx.collect ? ctx.collect(awsAccountScopes) : awsAccountScopes(ctx);
}

/** Reads a regional service in every enabled region of every account, `concurrency` regions at a time. */
export async function collectRegional<T>(
  ctx: CheckContext<AwsCisOptions>,
  read: (ref: AwsRegionRef, clients: AwsClientFactory, signal: AbortSignal) => Promise<T>,
): Promise<Collected<RegionalInventory<T>>> {
  const collected = withReadErrors(await collectPerRegion(ctx, read, await scopesOf(ctx)), (inventory) => inventory.regions);
  // The account-wide scope is covered only when this collector read every region; otherwise it is failed too, so a
  // run that combines collectors (trail, filters, alarms, topics) cannot resolve an account-wide finding either.
  const ok = new Set(collected.coverage.ok);
  const whole: string[] = [];
  const incomplete: Coverage['failed'][number][] = [];
  for (const entry of collected.data.listed) {
    const unread = entry.regions.filter((region) => !ok.has(regionScope(entry.account, region)));
    if (unread.length === 0) whole.push(allRegionsScope(entry.account));
    else incomplete.push({ scope: allRegionsScope(entry.account), error: { name: 'CollectorIncomplete', message: `regions not read: ${unread.join(', ')}` } });
  }
  return { data: collected.data, coverage: { ...collected.coverage, ok: [...collected.coverage.ok, ...whole], failed: [...collected.coverage.failed, ...incomplete] } };
}

/**
 * Reads a global service (IAM, S3) once per account, `accountConcurrency` accounts at a time. A failure fails the
 * account's `aws:<account>/global` scope: the global controls of that account are unknown, never passed.
 */
export async function collectGlobal<T>(
  ctx: CheckContext<AwsCisOptions>,
  read: (account: AwsAccountRef, clients: AwsClientFactory, signal: AbortSignal) => Promise<T>,
): Promise<Collected<GlobalInventory<T>>> {
  const clients = awsClientsFrom(ctx.services);
  const scopes = await scopesOf(ctx);
  const failed: Coverage['failed'][number][] = [...scopes.coverage.failed];
  const accounts: { account: string; scope: string; data: T }[] = [];
  await mapLimit(scopes.data, ctx.options.accountConcurrency, async ({ account }) => {
    const scope = globalScope(account.id);
    try {
      accounts.push({ account: account.id, scope, data: await read(account, clients, ctx.signal) });
    } catch (error) {
      const operation = error instanceof Error && 'operation' in error ? String(error.operation) : 'read';
      failed.push({ scope, error: collectorError((error as { cause?: unknown }).cause ?? error, operation) });
    }
  });
  accounts.sort((a, b) => a.account.localeCompare(b.account));
  return withReadErrors(
    { data: { accounts, listed: scopes.data.map((entry) => entry.account.id).sort() }, coverage: { ok: accounts.map((a) => a.scope), failed } },
    (inventory) => inventory.accounts,
  );
}

/** Moves a scope whose data carries per-resource `readErrors` from ok to failed, keeping the data of what was read. */
function withReadErrors<I>(collected: Collected<I>, reads: (inventory: I) => readonly { scope: string; data: unknown }[]): Collected<I> {
  const failed: Coverage['failed'][number][] = [...collected.coverage.failed];
  for (const read of reads(collected.data)) {
    const errors = (read.data as { readErrors?: readonly ReadError[] }).readErrors ?? [];
    if (errors.length === 0) continue;
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more resource(s))` : '';
    failed.push({ scope: read.scope, error: { name: first.error.name, message: `${first.resource}: ${first.error.message}${more}` } });
  }
  const failedScopes = new Set(failed.map((f) => f.scope));
  return { data: collected.data, coverage: { ...collected.coverage, ok: collected.coverage.ok.filter((scope) => !failedScopes.has(scope)), failed } };
}
