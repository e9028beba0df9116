import { z } from 'zod';

/** One place a secret was seen: an object (blob, commit or tag message), with the line inside it. Redacted only. */
export const sightingSchema = z.strictObject({
  ruleId: z.string(),
  secret: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), preview: z.string(), length: z.number().int() }),
  object: z.string(),
  kind: z.enum(['blob', 'commit', 'tag']),
  /** A path the object was listed under (rev-list), null for messages and unreachable blobs. */
  path: z.string().nullable(),
  line: z.number().int(),
  column: z.number().int(),
});
export type Sighting = z.infer<typeof sightingSchema>;

/** A commit that introduced an object at a path (for messages: the commit or tag itself, path ''). */
export const objectLocationSchema = z.strictObject({
  commit: z.string(),
  path: z.string(),
  author: z.string(),
  email: z.string(),
  time: z.number().int(),
});
export type ObjectLocation = z.infer<typeof objectLocationSchema>;

/**
 * What one repository looks like after a scan, kept as the run cursor: the ref tips scanned (so the next run reads only
 * objects that are not reachable from them), every redacted sighting still reachable, where each object was
 * introduced, and which sighted blobs sit in the default branch's tip tree.
 */
export const repoStateSchema = z.strictObject({
  v: z.literal(1),
  tips: z.record(z.string(), z.string()),
  defaultBranch: z.string().nullable(),
  sightings: z.array(sightingSchema),
  locations: z.record(z.string(), z.array(objectLocationSchema)),
  tipPaths: z.record(z.string(), z.array(z.string())),
  /** Sighted objects that no ref reaches (dangling; only kept when unreachable objects are scanned). */
  unreachable: z.array(z.string()),
  /** Unreachable objects already read, so they are not read again while they linger until gc. */
  scannedUnreachable: z.array(z.string()),
  /** Blobs deliberately not read so far, by reason (cumulative over runs, reported in coverage.skipped). */
  skipped: z.strictObject({ binary: z.number().int(), oversized: z.number().int(), vendored: z.number().int() }),
});
export type RepoState = z.infer<typeof repoStateSchema>;

export function emptyRepoState(): RepoState {
  return { v: 1, tips: {}, defaultBranch: null, sightings: [], locations: {}, tipPaths: {}, unreachable: [], scannedUnreachable: [], skipped: { binary: 0, oversized: 0, vendored: 0 } };
}

export function parseRepoState(raw: string | undefined): RepoState | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = repoStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A cursor from an older format or a torn write: scan from scratch rather than trust it.
    return undefined;
  }
}
