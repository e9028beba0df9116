import { z } from 'zod';
import type { CheckContext, Collected, Coverage } from '../../../../src/check-api/types.js';

/**
 * Shapes shared by every CIS collector, with no SDK import, so check modules can name them without loading the SDK.
 * Regional services answer per `aws:<account>/<region>`; global ones (IAM, S3) per `aws:<account>/global`.
 */
export interface RegionRead<T> {
  readonly account: string;
  readonly region: string;
  readonly scope: string;
  readonly data: T;
}

export interface RegionalInventory<T> {
  readonly regions: readonly RegionRead<T>[];
  /** Accounts and the regions listed for them this run: a listed region missing from `regions` could not be read. */
  readonly listed: readonly { readonly account: string; readonly regions: readonly string[] }[];
}

export interface AccountRead<T> {
  readonly account: string;
  readonly scope: string;
  readonly data: T;
}

export interface GlobalInventory<T> {
  readonly accounts: readonly AccountRead<T>[];
  /** Accounts listed this run: one missing from `accounts` could not be read. */
  readonly listed: readonly string[];
}

export function regionalInventorySchema<T extends z.ZodType>(data: T) {
  return z.strictObject({
    regions: z.array(z.strictObject({ account: z.string(), region: z.string(), scope: z.string(), data })),
    listed: z.array(z.strictObject({ account: z.string(), regions: z.array(z.string()) })),
  });
}

export function globalInventorySchema<T extends z.ZodType>(data: T) {
  return z.strictObject({
    accounts: z.array(z.strictObject({ account: z.string(), scope: z.string(), data })),
    listed: z.array(z.string()),
  });
}

export function globalScope(account: string): string {
  return `aws:${account}/global`;
}

/**
 * The scope of an account-wide verdict drawn from regional data ("a multi-region trail exists", "the chain of metric
 * filter, alarm and subscriber exists"). It is covered only when every listed region of the account was read, so such
 * a finding is neither raised nor resolved while one region is unknown.
 */
export function allRegionsScope(account: string): string {
  return `aws:${account}/all-regions`;
}

/** Regions listed for an account but not read (denied, opt-in failure, throttled out): nothing there may pass. */
export function unreadRegions(inventory: RegionalInventory<unknown>, account: string): string[] {
  const read = new Set(inventory.regions.filter((r) => r.account === account).map((r) => r.region));
  return (inventory.listed.find((l) => l.account === account)?.regions ?? []).filter((region) => !read.has(region));
}

/** The names under which collections are saved in an inventory file. */
export const AWS_COLLECTIONS = ['iam', 's3', 'ec2', 'rds', 'efs', 'kms', 'accessanalyzer', 'cloudtrail', 'config', 'securityhub', 'logs', 'cloudwatch', 'sns'] as const;
export type AwsCollectionName = (typeof AWS_COLLECTIONS)[number];

/**
 * What `audit run aws --inventory` / `--save-inventory` put in `services.awsInventory`: either a loaded file to replay
 * (no AWS call is made) or a recorder that keeps what each collector returned.
 */
export interface AwsInventorySession {
  readonly replay?: { readonly file: string; readonly collections: Partial<Record<AwsCollectionName, Collected<unknown>>> };
  readonly record?: (name: AwsCollectionName, collected: Collected<unknown>) => void;
}

/**
 * Wraps a collector so it replays a saved inventory or records what it collected. A collection the file lacks is a
 * failed scope (`aws:inventory`), so a control that needs it is unknown, never a pass.
 */
export function recordable<T, O>(name: AwsCollectionName, empty: T, collect: (ctx: CheckContext<O>) => Promise<Collected<T>>) {
  return async (ctx: CheckContext<O>): Promise<Collected<T>> => {
    const session = ctx.services.awsInventory as AwsInventorySession | undefined;
    if (session?.replay) {
      const saved = session.replay.collections[name];
      if (saved) return saved as Collected<T>;
      const coverage: Coverage = { ok: [], failed: [{ scope: 'aws:inventory', error: { name: 'CollectorNotRecorded', message: `${session.replay.file} has no '${name}' collection` } }] };
      return { data: empty, coverage };
    }
    const result = await collect(ctx);
    session?.record?.(name, result as Collected<unknown>);
    return result;
  };
}
