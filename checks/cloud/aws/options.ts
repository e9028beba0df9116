import { z } from 'zod';
import { awsScopeOptions } from './collect/scope-options.js';

/**
 * The options of every `aws.*` check. One schema for all of them on purpose: a `check: aws` job hands the same raw
 * options to each control, and the shared collectors are keyed by those options, so one account is read once.
 */
export const awsCisOptions = z.strictObject({
  ...awsScopeOptions,
  /** Regions read at the same time across accounts; 32 covers the 17 default regions of an account in one wave. */
  concurrency: z.number().int().min(1).max(128).default(32),
  /** Accounts read at the same time; regions of each account share `concurrency`. */
  accountConcurrency: z.number().int().min(1).max(32).default(4),
  /** CIS 1.12: credentials unused this many days must be disabled. */
  unusedCredentialDays: z.number().int().min(1).default(45),
  /** CIS 1.14: access keys older than this many days must be rotated. */
  accessKeyMaxAgeDays: z.number().int().min(1).default(90),
  /** CIS 1.8 / 1.9. */
  passwordMinLength: z.number().int().min(8).default(14),
  passwordReusePrevention: z.number().int().min(1).max(24).default(24),
  /** CIS 5.1-5.3: remote administration ports. CIS names 22 and 3389. */
  adminPorts: z.array(z.number().int().min(0).max(65535)).min(1).default([22, 3389]),
  /** Evaluated at this instant (ISO) instead of the run's clock; lets a saved inventory be re-evaluated as of its day. */
  asOf: z.iso.datetime().optional(),
});
export type AwsCisOptions = z.output<typeof awsCisOptions>;

/** `--target 123456789012` or `--target 123456789012:arn:aws:iam::123456789012:role/audit`. */
export function awsCliTarget(value: string): { accounts: { id: string; roleArn?: string }[] } {
  const [id, ...role] = value.split(':');
  return { accounts: [{ id: id ?? value, ...(role.length ? { roleArn: role.join(':') } : {}) }] };
}
