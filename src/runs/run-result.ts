import { z } from 'zod';
import { RUN_OUTCOMES, SEVERITIES, type Coverage, type FindingInput, type RemediationRecord, type ResolutionReason, type RunOutcome } from '../check-api/types.js';

/**
 * What a run reports back to the single writer of the ledger. It crosses process boundaries (BullMQ workers send it
 * to the daemon), so it is a plain serialisable value with a schema checked at the edge.
 */
export const TRIGGERS = ['schedule', 'cli', 'tui', 'api', 'catchup'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const findingInputSchema = z.strictObject({
  resourceId: z.string().min(1),
  key: z.string().optional(),
  scope: z.string().optional(),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  evidence: z.record(z.string(), jsonValue),
  location: z
    .strictObject({
      file: z.string().optional(),
      line: z.number().int().optional(),
      commit: z.string().optional(),
      region: z.string().optional(),
      url: z.string().optional(),
      host: z.string().optional(),
      port: z.number().int().optional(),
    })
    .optional(),
  remediation: z.string().optional(),
  tags: z.array(z.string()).optional(),
  acceptance: z.strictObject({ reason: z.string().min(1), owner: z.string().min(1), until: z.number().int() }).optional(),
});

export const coverageSchema = z.strictObject({
  ok: z.array(z.string()),
  failed: z.array(z.strictObject({ scope: z.string(), error: z.strictObject({ name: z.string(), message: z.string() }) })),
  skipped: z.array(z.strictObject({ scope: z.string(), reason: z.string(), count: z.number().int() })).optional(),
});

/** One remediation attempt (kill-switch checks in enforce mode), recorded as a finding event with before and after. */
export const remediationSchema = z.strictObject({
  resourceId: z.string().min(1),
  key: z.string().optional(),
  actions: z.array(z.string()),
  outcome: z.enum(['fixed', 'failed']),
  before: z.record(z.string(), jsonValue),
  after: z.record(z.string(), jsonValue).nullable(),
  error: z.string().optional(),
});

export const runResultSchema = z.strictObject({
  runId: z.string().min(1),
  checkId: z.string().min(1),
  targetId: z.string().min(1),
  trigger: z.enum(TRIGGERS),
  scheduleId: z.string().optional(),
  slot: z.number().int().optional(),
  outcome: z.enum(RUN_OUTCOMES as [RunOutcome, ...RunOutcome[]]),
  skipReason: z.string().optional(),
  skipCount: z.number().int().optional(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  error: z.string().optional(),
  coverage: coverageSchema,
  findings: z.array(findingInputSchema),
  cursorWrites: z.record(z.string(), z.string()),
  /** Absent for checks without a remediate step or runs in detect mode. */
  remediations: z.array(remediationSchema).optional(),
  /** Why findings absent from this run went away, from checks that know (CheckDefinition.resolutionReasons). */
  resolutionReasons: z.array(z.strictObject({ resourceId: z.string().min(1), key: z.string().optional(), reason: z.string().min(1) })).optional(),
});

export type RunResult = Omit<z.infer<typeof runResultSchema>, 'findings' | 'coverage' | 'remediations' | 'resolutionReasons'> & {
  findings: FindingInput[];
  coverage: Coverage;
  remediations?: RemediationRecord[];
  resolutionReasons?: ResolutionReason[];
};

export interface RunRequest {
  readonly runId: string;
  readonly checkId: string;
  readonly targetId: string;
  readonly trigger: Trigger;
  readonly scheduleId?: string;
  readonly slot?: number;
  /** Raw options; the runner validates them against the check's schema. */
  readonly options: unknown;
  readonly timeoutMs: number;
}

/** A tick's run id is derived from (schedule, slot), so whichever process reports it, the ledger accepts it once. */
export function scheduledRunId(scheduleId: string, slot: number): string {
  return `${scheduleId}@${new Date(slot).toISOString()}`;
}
