import { z } from 'zod';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { gcpClientsFrom } from './clients.js';
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

/** Lists every Security Command Center service at each configured organization, folder or project (all pages). */
export async function collectSccServices(ctx: CheckContext<SccServicesOptions>): Promise<Collected<{ parents: SccParentServices[] }>> {
  const client = gcpClientsFrom(ctx.services).management();
  const parents: SccParentServices[] = [];
  const failed: Coverage['failed'][number][] = [];
  for (const parent of ctx.options.parents) {
    try {
      const services: SccServiceState[] = [];
      for await (const raw of client.listSecurityCenterServicesAsync({ parent: `${parent}/locations/global` })) services.push(toServiceState(raw));
      parents.push({ parent, scope: gcpScope(parent), services: services.sort((a, b) => a.service.localeCompare(b.service)) });
    } catch (error) {
      failed.push({ scope: gcpScope(parent), error: gcpCollectorError(error, 'securitycentermanagement:ListSecurityCenterServices') });
    }
  }
  return { data: { parents }, coverage: { ok: parents.map((p) => p.scope), failed } };
}
