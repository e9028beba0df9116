import { GetBucketLocationCommand, GetBucketLoggingCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectGlobal } from './account-scopes.js';
import { AwsOperationError, awsErrorCode } from './aws-errors.js';
import type { AwsAccountRef, AwsClientFactory } from './clients.js';
import { globalInventorySchema, recordable, type GlobalInventory } from './inventory.js';
import { allPages, readError, sender, type ReadError } from './paginate.js';
import { mapLimit } from '../../../../src/check-api/map-limit.js';

const publicAccessBlockSchema = z.strictObject({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});
export type PublicAccessBlock = z.output<typeof publicAccessBlockSchema>;

export const bucketSchema = z.strictObject({
  name: z.string(),
  region: z.string(),
  /** The bucket policy JSON, or null when the bucket has none. */
  policy: z.string().nullable(),
  versioning: z.string().nullable(),
  mfaDelete: z.string().nullable(),
  publicAccessBlock: publicAccessBlockSchema.nullable(),
  loggingTargetBucket: z.string().nullable(),
});
export type BucketState = z.output<typeof bucketSchema>;

const readErrorSchema = z.strictObject({ resource: z.string(), operation: z.string(), error: z.strictObject({ name: z.string(), message: z.string() }) });

export const s3AccountSchema = z.strictObject({
  /** Null: no account-level block configured (NoSuchPublicAccessBlockConfiguration). */
  accountPublicAccessBlock: publicAccessBlockSchema.nullable(),
  buckets: z.array(bucketSchema),
  readErrors: z.array(readErrorSchema),
});
export type S3AccountState = z.output<typeof s3AccountSchema>;
export const s3InventorySchema = globalInventorySchema(s3AccountSchema);

/** Answers that mean "not configured", per API: a state to evaluate, not a failure to look. */
const ABSENT = new Set(['NoSuchBucketPolicy', 'NoSuchPublicAccessBlockConfiguration']);

async function orAbsent<T>(operation: string, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    const code = error instanceof AwsOperationError ? awsErrorCode(error.cause) : awsErrorCode(error);
    if (ABSENT.has(code)) return null;
    throw error instanceof AwsOperationError ? error : new AwsOperationError(operation, error);
  }
}

type RawBlock = { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean } | undefined;
const block = (raw: RawBlock): PublicAccessBlock => ({
  blockPublicAcls: raw?.BlockPublicAcls ?? false,
  ignorePublicAcls: raw?.IgnorePublicAcls ?? false,
  blockPublicPolicy: raw?.BlockPublicPolicy ?? false,
  restrictPublicBuckets: raw?.RestrictPublicBuckets ?? false,
});

/** GetBucketLocation answers null for us-east-1 and the legacy "EU" for eu-west-1. */
export function bucketRegion(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export async function readS3Account(account: AwsAccountRef, clients: AwsClientFactory, signal: AbortSignal, homeRegion: string): Promise<S3AccountState> {
  const home = sender(clients('s3', homeRegion, account), signal);
  const control = sender(clients('s3control', homeRegion, account), signal);
  const [accountBlock, listed] = await Promise.all([
    orAbsent('s3:GetAccountPublicAccessBlock', () =>
      control<{ PublicAccessBlockConfiguration?: RawBlock }>('s3:GetAccountPublicAccessBlock', new GetAccountPublicAccessBlockCommand({ AccountId: account.id })),
    ),
    allPages(
      (ContinuationToken) => home<{ Buckets?: { Name?: string; BucketRegion?: string }[]; ContinuationToken?: string }>('s3:ListBuckets', new ListBucketsCommand({ ContinuationToken, MaxBuckets: 1000 })),
      (out) => out.Buckets,
      (out) => out.ContinuationToken,
    ),
  ]);
  const readErrors: ReadError[] = [];
  const buckets = await mapLimit(listed, 8, async (listedBucket): Promise<BucketState | undefined> => {
    const name = listedBucket.Name ?? '';
    try {
      const region =
        listedBucket.BucketRegion ??
        bucketRegion((await home<{ LocationConstraint?: string }>('s3:GetBucketLocation', new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint);
      // Each bucket is asked at its own regional endpoint, as AWS redirects otherwise.
      const regional = sender(clients('s3', region, account), signal);
      const [policy, versioning, bucketBlock, logging] = await Promise.all([
        orAbsent('s3:GetBucketPolicy', () => regional<{ Policy?: string }>('s3:GetBucketPolicy', new GetBucketPolicyCommand({ Bucket: name }))),
        regional<{ Status?: string; MFADelete?: string }>('s3:GetBucketVersioning', new GetBucketVersioningCommand({ Bucket: name })),
        orAbsent('s3:GetPublicAccessBlock', () => regional<{ PublicAccessBlockConfiguration?: RawBlock }>('s3:GetPublicAccessBlock', new GetPublicAccessBlockCommand({ Bucket: name }))),
        regional<{ LoggingEnabled?: { TargetBucket?: string } }>('s3:GetBucketLogging', new GetBucketLoggingCommand({ Bucket: name })),
      ]);
      return {
        name,
        region,
        policy: policy?.Policy ?? null,
        versioning: versioning.Status ?? null,
        mfaDelete: versioning.MFADelete ?? null,
        publicAccessBlock: bucketBlock ? block(bucketBlock.PublicAccessBlockConfiguration) : null,
        loggingTargetBucket: logging.LoggingEnabled?.TargetBucket ?? null,
      };
    } catch (error) {
      readErrors.push(readError(`s3://${name}`, error));
      return undefined;
    }
  });
  return s3AccountSchema.parse({
    accountPublicAccessBlock: accountBlock ? block(accountBlock.PublicAccessBlockConfiguration) : null,
    buckets: buckets.filter((b): b is BucketState => b !== undefined).sort((a, b) => a.name.localeCompare(b.name)),
    readErrors: readErrors.sort((a, b) => a.resource.localeCompare(b.resource)),
  });
}

export const collectS3 = recordable('s3', { accounts: [], listed: [] } as GlobalInventory<S3AccountState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectGlobal(ctx, (account, clients, signal) => readS3Account(account, clients, signal, ctx.options.homeRegion)),
);
