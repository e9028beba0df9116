import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidConfigError } from '../../../../src/check-api/errors.js';
import type { Collected } from '../../../../src/check-api/types.js';
import { coverageSchema } from '../../../../src/runs/run-result.js';
import { accessAnalyzerInventorySchema } from './accessanalyzer.js';
import { cloudWatchInventorySchema } from './cloudwatch.js';
import { ec2InventorySchema } from './ec2.js';
import { efsInventorySchema } from './efs.js';
import { iamInventorySchema } from './iam.js';
import { AWS_COLLECTIONS, type AwsCollectionName, type AwsInventorySession } from './inventory.js';
import { kmsInventorySchema } from './kms.js';
import { logsInventorySchema } from './logs.js';
import { rdsInventorySchema } from './rds.js';
import { s3InventorySchema } from './s3.js';
import { snsInventorySchema } from './sns.js';
import { cloudTrailInventorySchema, configInventorySchema, securityHubInventorySchema } from './trail-services.js';

const DATA_SCHEMAS: Record<AwsCollectionName, z.ZodType> = {
  iam: iamInventorySchema,
  s3: s3InventorySchema,
  ec2: ec2InventorySchema,
  rds: rdsInventorySchema,
  efs: efsInventorySchema,
  kms: kmsInventorySchema,
  accessanalyzer: accessAnalyzerInventorySchema,
  cloudtrail: cloudTrailInventorySchema,
  config: configInventorySchema,
  securityhub: securityHubInventorySchema,
  logs: logsInventorySchema,
  cloudwatch: cloudWatchInventorySchema,
  sns: snsInventorySchema,
};

export const AWS_INVENTORY_FORMAT = 'vigil-aws-inventory/1';

/** A saved inventory: what every CIS collector returned in one run group, with the options that drove it. */
export const awsInventoryFileSchema = z.strictObject({
  format: z.literal(AWS_INVENTORY_FORMAT),
  collectedAt: z.iso.datetime(),
  options: z.record(z.string(), z.unknown()),
  collections: z.strictObject(
    Object.fromEntries(AWS_COLLECTIONS.map((name) => [name, z.strictObject({ data: DATA_SCHEMAS[name], coverage: coverageSchema }).optional()])) as unknown as Record<
      AwsCollectionName,
      z.ZodOptional<z.ZodType<Collected<unknown>>>
    >,
  ),
});
export type AwsInventoryFile = z.output<typeof awsInventoryFileSchema>;

/** Reads and validates a saved inventory; any problem is one line naming the file and the first bad path. */
export function loadAwsInventory(file: string): AwsInventoryFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidConfigError(`--inventory ${file}: ${error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message}`);
  }
  const parsed = awsInventoryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidConfigError(`--inventory ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function replaySession(file: string, inventory: AwsInventoryFile): AwsInventorySession {
  return { replay: { file, collections: inventory.collections } };
}

/** A session that records each collection; `save` writes the file (collections in a fixed order, for diffs). */
export function recordingSession(options: unknown, now: () => Date = () => new Date()): AwsInventorySession & { save(file: string): number } {
  const collections = new Map<AwsCollectionName, Collected<unknown>>();
  return {
    record: (name, collected) => {
      collections.set(name, collected);
    },
    save(file: string): number {
      const ordered = Object.fromEntries(AWS_COLLECTIONS.filter((name) => collections.has(name)).map((name) => [name, collections.get(name)]));
      const document = { format: AWS_INVENTORY_FORMAT, collectedAt: now().toISOString(), options, collections: ordered };
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      return collections.size;
    },
  };
}
