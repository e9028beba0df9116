import { z } from 'zod';

/**
 * The parts of the OSV schema (ossf/osv-schema 1.7) Vigil reads. Loose objects: OSV adds fields over time, and a
 * record Vigil does not fully understand must still import. `id` and `modified` are the only required keys.
 */
const event = z
  .looseObject({ introduced: z.string().optional(), fixed: z.string().optional(), last_affected: z.string().optional(), limit: z.string().optional() })
  .refine((e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((v) => v !== undefined).length === 1, {
    message: 'each range event must have exactly one of introduced, fixed, last_affected, limit',
  });

export const osvRange = z.looseObject({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(event).min(1),
});

export const osvAffected = z.looseObject({
  package: z.looseObject({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() }).optional(),
  ranges: z.array(osvRange).optional(),
  versions: z.array(z.string()).optional(),
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).optional(),
  ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export const osvRecord = z.looseObject({
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).nullish(),
  related: z.array(z.string()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).nullish(),
  affected: z.array(osvAffected).nullish(),
  references: z.array(z.looseObject({ type: z.string(), url: z.string() })).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});

export type OsvRecord = z.output<typeof osvRecord>;
export type OsvAffected = z.output<typeof osvAffected>;
export type OsvRange = z.output<typeof osvRange>;
export type OsvEvent = OsvRange['events'][number];

/** Parses one OSV JSON document; the message names what is wrong, for "file X: reason" errors. */
export function parseOsvRecord(raw: unknown): OsvRecord {
  const result = osvRecord.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`not an OSV record: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  return result.data;
}
