import { z } from 'zod';
import { awsScopeOptions } from '../cloud/aws/collect/scope-options.js';

/** detect: report only. enforce: also put the baseline back, verify by reading back, and record before/after. */
export const killswitchMode = z.enum(['detect', 'enforce']).default('detect');

/**
 * Options every AWS kill-switch check shares; each adds its own `baseline`, which is optional: without it the run
 * uses the version approved into the ledger (checks/killswitch/baselines.ts).
 */
export function awsKillswitchOptions<B extends z.ZodType>(baseline: B) {
  return z.strictObject({ ...awsScopeOptions, mode: killswitchMode, baseline: baseline.optional() });
}

export function regionResourceId(account: string, region: string, what: string): string {
  return `aws:${account}/${region}/${what}`;
}

/** Turns an SDK error into the one line a remediation record carries. */
export function describeAwsFailure(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = cause && typeof cause === 'object' && 'name' in cause ? String(cause.name) : 'Error';
  const message = cause instanceof Error ? cause.message : String(cause);
  const operation = error && typeof error === 'object' && 'operation' in error ? `${String(error.operation)}: ` : '';
  return `${operation}${code}: ${message}`;
}
