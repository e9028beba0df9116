import { z } from 'zod';

/** Option schemas and scope names of the GCP checks; no Google client import here, so check modules stay cheap to load. */
export const gcpParent = z.string().regex(/^(organizations\/\d+|folders\/\d+|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9])$/, 'organizations/<id>, folders/<id> or projects/<project-id>');

export const sccServicesOptions = {
  parents: z.array(gcpParent).min(1),
  /** Also audit every ACTIVE folder and project under each organization or folder parent, found afresh on every run. */
  walk: z.boolean().default(false),
  /** Parents never audited (and, when walking, not descended into). */
  excludeParents: z.array(gcpParent).default([]),
  concurrency: z.number().int().min(1).max(64).default(8),
};
export type SccServicesOptions = z.output<z.ZodObject<typeof sccServicesOptions>>;

const organization = z.string().regex(/^organizations\/\d+$/, 'organizations/<numeric id>');

export const sccFindingsOptions = { organization };
export type SccFindingsOptions = z.output<z.ZodObject<typeof sccFindingsOptions>>;

export const sccSilencingOptions = {
  organization,
  /** Also read the mute rules of every ACTIVE folder and project under the organization: a project-level rule hides that project's findings. */
  walk: z.boolean().default(false),
  excludeParents: z.array(gcpParent).default([]),
  concurrency: z.number().int().min(1).max(64).default(8),
};
export type SccSilencingOptions = z.output<z.ZodObject<typeof sccSilencingOptions>>;

export function gcpScope(parent: string): string {
  return `gcp:${parent}`;
}
