import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ResolvedJob } from '../config/load.js';
import type { RunRequest } from '../runs/run-result.js';
import { ApiError } from './http-util.js';

export const runTriggerSchema = z.strictObject({
  check: z.string().min(1, 'check is required'),
  /** A configured job name (its target and options); omitted: every enabled job of the check. */
  target: z.string().min(1).optional(),
  /** Why, for the log (a CI pipeline names the release it just published). */
  reason: z.string().max(500).optional(),
});
export type RunTrigger = z.infer<typeof runTriggerSchema>;

/**
 * Turns "run check X (on target Y)" into run requests for configured jobs. Only configured targets can be run: the API
 * must not become a way to point a scanner at an arbitrary host with arbitrary options.
 */
export function planRuns(trigger: RunTrigger, jobs: readonly ResolvedJob[], knownCheck: (id: string) => boolean): RunRequest[] {
  if (!knownCheck(trigger.check)) throw new ApiError(400, `unknown check '${trigger.check}' (see \`audit checks\`)`);
  const ofCheck = jobs.filter((job) => job.enabled && job.checkId === trigger.check);
  let chosen = ofCheck;
  if (trigger.target !== undefined) {
    chosen = ofCheck.filter((job) => job.target === trigger.target);
    if (chosen.length === 0) {
      const known = ofCheck.map((job) => job.target);
      throw new ApiError(400, `unknown target '${trigger.target}' for check '${trigger.check}' (${known.length ? `configured: ${known.join(', ')}` : 'no enabled job runs this check'})`);
    }
  } else if (chosen.length === 0) {
    throw new ApiError(400, `no enabled job runs check '${trigger.check}'; add one to the daemon's config`);
  }
  return chosen.map((job) => ({
    runId: `api-${randomUUID()}`,
    checkId: job.checkId,
    targetId: job.target,
    trigger: 'api',
    options: job.options,
    timeoutMs: job.timeoutMs,
  }));
}
