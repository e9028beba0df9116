import { z } from 'zod';
import type { Coverage } from '../../../src/check-api/types.js';
import { mapLimit } from '../../../src/check-api/map-limit.js';
import type { GcpClients } from './clients.js';
import { gcpCollectorError } from './gcp-errors.js';
import { gcpScope } from './scc-options.js';

// Resource Manager v3 in REST mode sends enums as ints; ACTIVE is 1 in both Folder.State and Project.State.
const ACTIVE = new Set<unknown>(['ACTIVE', 1]);
const folderSchema = z.object({ name: z.string().regex(/^folders\/\d+$/), state: z.union([z.string(), z.number()]).optional() });
const projectSchema = z.object({ projectId: z.string().min(1), state: z.union([z.string(), z.number()]).optional() });

/**
 * Every ACTIVE folder and project under the given organizations and folders (projects are named by project id), read
 * afresh each run so a project created since the last tick is audited at once. A parent whose children cannot be
 * listed is a failed scope: what lies under it is unknown, never assumed absent.
 */
export async function walkResourceTree(clients: GcpClients, roots: readonly string[], exclude: ReadonlySet<string>, concurrency: number): Promise<{ parents: string[]; failed: Coverage['failed'][number][] }> {
  const found: string[] = [];
  const failed: Coverage['failed'][number][] = [];
  let level = roots.filter((root) => !root.startsWith('projects/'));
  while (level.length > 0) {
    const next: string[] = [];
    await mapLimit(level, concurrency, async (parent) => {
      try {
        const [folders, projects] = await Promise.all([listActive(clients.folders().listFoldersAsync({ parent }), folderSchema), listActive(clients.projects().listProjectsAsync({ parent }), projectSchema)]);
        for (const folder of folders) if (!exclude.has(folder.name)) next.push(folder.name);
        for (const project of projects) if (!exclude.has(`projects/${project.projectId}`)) found.push(`projects/${project.projectId}`);
      } catch (error) {
        failed.push({ scope: gcpScope(parent), error: gcpCollectorError(error, 'resourcemanager:ListFolders/ListProjects') });
      }
    });
    found.push(...next);
    level = next;
  }
  return { parents: [...new Set(found)].sort(), failed };
}

async function listActive<T extends { state?: unknown }>(pages: AsyncIterable<unknown>, schema: z.ZodType<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const raw of pages) {
    const item = schema.parse(raw);
    if (item.state === undefined || ACTIVE.has(item.state)) items.push(item);
  }
  return items;
}
