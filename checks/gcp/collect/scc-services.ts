import { z } from 'zod';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { mapLimit } from '../../../src/check-api/map-limit.js';
import { gcpClientsFrom, type GcpClients } from './clients.js';
import { walkResourceTree } from './resource-tree.js';
import { gcpCollectorError } from './gcp-errors.js';
import { gcpScope, type SccServicesOptions } from './scc-options.js';

export { gcpParent, gcpScope, sccServicesOptions, type SccServicesOptions } from './scc-options.js';

const enablement = z.enum(['ENABLEMENT_STATE_UNSPECIFIED', 'INHERITED', 'ENABLED', 'DISABLED', 'INGEST_ONLY']);
export type Enablement = z.output<typeof enablement>;

const serviceSchema = z.object({
  name: z.string().regex(/\/securityCenterServices\/[a-z0-9-]+$/),
  intendedEnablementState: enablement,
  effectiveEnablementState: enablement,
  modules: z.record(z.string(), z.object({ intendedEnablementState: enablement, effectiveEnablementState: enablement })).default({}),
});

export interface SccServiceState {
  readonly name: string;
  readonly service: string;
  readonly intended: Enablement;
  readonly effective: Enablement;
  readonly modules: Readonly<Record<string, { readonly intended: Enablement; readonly effective: Enablement }>>;
}

export interface SccParentServices {
  readonly parent: string;
  readonly scope: string;
  readonly services: readonly SccServiceState[];
}

export function toServiceState(raw: unknown): SccServiceState {
  const parsed = serviceSchema.parse(raw);
  return {
    name: parsed.name,
    service: parsed.name.slice(parsed.name.lastIndexOf('/') + 1),
    intended: parsed.intendedEnablementState,
    effective: parsed.effectiveEnablementState,
    modules: Object.fromEntries(Object.entries(parsed.modules).map(([module, s]) => [module, { intended: s.intendedEnablementState, effective: s.effectiveEnablementState }])),
  };
}

/**
 * Lists every Security Command Center service at each configured organization, folder or project (all pages) and,
 * with `walk`, at every ACTIVE folder and project beneath them, found afresh on each run.
 */
export async function collectSccServices(ctx: CheckContext<SccServicesOptions>): Promise<Collected<{ parents: SccParentServices[] }>> {
  const clients = gcpClientsFrom(ctx.services);
  const exclude = new Set(ctx.options.excludeParents);
  const roots = ctx.options.parents.filter((parent) => !exclude.has(parent));
  const failed: Coverage['failed'][number][] = [];
  let targets = roots;
  if (ctx.options.walk) {
    const walked = await walkResourceTree(clients, roots, exclude, ctx.options.concurrency);
    failed.push(...walked.failed);
    targets = [...new Set([...roots, ...walked.parents])];
  }
  const parents: SccParentServices[] = [];
  await mapLimit(targets, ctx.options.concurrency, async (parent) => {
    try {
      parents.push(await readSccParent(clients, parent));
    } catch (error) {
      failed.push({ scope: gcpScope(parent), error: gcpCollectorError(error, 'securitycentermanagement:ListSecurityCenterServices') });
    }
  });
  parents.sort((a, b) => a.parent.localeCompare(b.parent));
  const failedScopes = new Set(failed.map((f) => f.scope));
  return { data: { parents }, coverage: { ok: parents.map((p) => p.scope).filter((scope) => !failedScopes.has(scope)), failed } };
}

export async function readSccParent(clients: GcpClients, parent: string): Promise<SccParentServices> {
  const services: SccServiceState[] = [];
  for await (const raw of clients.management().listSecurityCenterServicesAsync({ parent: `${parent}/locations/global` })) services.push(toServiceState(raw));
  return { parent, scope: gcpScope(parent), services: services.sort((a, b) => a.service.localeCompare(b.service)) };
}
