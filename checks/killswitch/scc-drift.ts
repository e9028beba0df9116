import { z } from 'zod';
import type { Enablement, SccServiceState } from '../gcp/collect/scc-services.js';

export const SCC_SERVICES = ['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection', 'web-security-scanner'] as const;

/** The services that must be on; organizations must say ENABLED, folders and projects must not say DISABLED. */
export const sccBaseline = z.strictObject({
  services: z.array(z.enum(SCC_SERVICES)).default(['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection']),
});
export type SccBaseline = z.output<typeof sccBaseline>;

export function isOrganization(parent: string): boolean {
  return parent.startsWith('organizations/');
}

/** The intended state a fix writes: ENABLED at the organization, INHERITED below it so the organization decides. */
export function intendedFor(parent: string): Enablement {
  return isOrganization(parent) ? 'ENABLED' : 'INHERITED';
}

/** A project- or folder-level DISABLED overrides an ENABLED organization, so it is as bad as disabling it there. */
export function sccServiceDrifted(parent: string, state: SccServiceState): boolean {
  if (state.intended === 'DISABLED') return true;
  return isOrganization(parent) && state.intended !== 'ENABLED';
}
