import { z } from 'zod';
import type { Enablement, SccServiceState } from '../gcp/collect/scc-services.js';

export const SCC_SERVICES = ['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection', 'web-security-scanner'] as const;

/**
 * The services that must be on (organizations must say ENABLED, folders and projects must not say DISABLED), and the
 * organization-level state of individual modules (detectors such as ETD's MALWARE_BAD_DOMAIN or SHA's
 * PUBLIC_BUCKET_ACL): an ENABLED module must be effective at the organization and not DISABLED below it.
 */
export const sccBaseline = z.strictObject({
  services: z.array(z.enum(SCC_SERVICES)).default(['container-threat-detection', 'event-threat-detection', 'security-health-analytics', 'vm-threat-detection']),
  modules: z.partialRecord(z.enum(SCC_SERVICES), z.record(z.string().min(1), z.enum(['ENABLED', 'DISABLED']))).default({}),
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

export interface ModuleDrift {
  readonly module: string;
  readonly intended: Enablement;
  readonly effective: Enablement;
  /** What a fix writes: the baseline state at the organization, INHERITED below it. */
  readonly restoreTo: Enablement;
}

/** Modules of one service at one parent that differ from the baseline; an absent module is INHERITED. */
export function sccModuleDrift(parent: string, state: SccServiceState, baseline: SccBaseline): ModuleDrift[] {
  const wanted = baseline.modules[state.service as (typeof SCC_SERVICES)[number]] ?? {};
  return Object.entries(wanted)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([module, intended]): ModuleDrift[] => {
      const actual = state.modules[module] ?? { intended: 'INHERITED' as const, effective: 'INHERITED' as const };
      // At the organization the explicit setting is the baseline; INHERITED there leaves it to the service default.
      if (isOrganization(parent)) return actual.intended === intended ? [] : [{ module, intended: actual.intended, effective: actual.effective, restoreTo: intended }];
      return intended === 'ENABLED' && actual.intended === 'DISABLED' ? [{ module, intended: actual.intended, effective: actual.effective, restoreTo: 'INHERITED' as const }] : [];
    });
}
