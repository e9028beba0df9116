import { z } from 'zod';

/** Option schemas and scope names shared by AWS checks; no SDK import here, so check modules stay cheap to load. */
export const awsRegionName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region name such as eu-west-1');

export const awsAccountSchema = z
  .strictObject({
    id: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN').optional(),
  })
  .refine((account) => !account.roleArn || account.roleArn.split(':')[4] === account.id, { message: 'roleArn must be a role in the same account' });

/** Where an AWS check looks: accounts (each with the role to assume), regions to skip, and a concurrency cap. */
export const awsScopeOptions = {
  accounts: z.array(awsAccountSchema).min(1),
  /** Also audit every ACTIVE account of the organization, assuming this role name in each (run as management or delegated admin). */
  organizationRoleName: z.string().regex(/^[\w+=,.@-]+$/).optional(),
  /** Regions never audited (e.g. denied by an SCP). Every other enabled region is, including ones enabled since the last tick. */
  excludeRegions: z.array(awsRegionName).default([]),
  /** Home region for global calls (STS, Organizations, DescribeRegions). */
  homeRegion: awsRegionName.default('us-east-1'),
  concurrency: z.number().int().min(1).max(64).default(16),
};
export type AwsScopeOptions = z.output<z.ZodObject<typeof awsScopeOptions>>;

export function regionScope(account: string, region: string): string {
  return `aws:${account}/${region}`;
}
