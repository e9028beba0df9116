import { z } from 'zod';
import type { SccSilencingState } from '../gcp/collect/scc-silencing.js';

/** Approved mute rules (by id) and the notification configs that carry SCC findings to people. */
export const sccSilencingBaseline = z.strictObject({
  muteConfigs: z.array(z.string().min(1)).default([]),
  notificationConfigs: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]{0,127}$/),
        pubsubTopic: z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/),
        filter: z.string().default(''),
        description: z.string().default('Vigil baseline: SCC findings to the SOC'),
      }),
    )
    .default([]),
});
export type SccSilencingBaseline = z.output<typeof sccSilencingBaseline>;

export interface SccSilencingDrift {
  readonly unapprovedMutes: SccSilencingState['muteConfigs'];
  readonly missingNotifications: SccSilencingBaseline['notificationConfigs'];
  readonly changedNotifications: readonly { readonly id: string; readonly pubsubTopic: string; readonly filter: string }[];
}

export function sccSilencingDrift(state: SccSilencingState, baseline: SccSilencingBaseline): SccSilencingDrift {
  // Approved by id (an organization rule) or by full name (a rule on a folder or project).
  const approved = new Set(baseline.muteConfigs);
  const byId = new Map(state.notificationConfigs.map((config) => [config.id, config]));
  return {
    unapprovedMutes: state.muteConfigs.filter((mute) => !approved.has(mute.name) && !(mute.parent === state.organization && approved.has(mute.id))),
    missingNotifications: baseline.notificationConfigs.filter((intended) => !byId.has(intended.id)),
    changedNotifications: baseline.notificationConfigs
      .filter((intended) => byId.has(intended.id) && (byId.get(intended.id)!.pubsubTopic !== intended.pubsubTopic || byId.get(intended.id)!.filter !== intended.filter))
      .map((intended) => ({ id: intended.id, pubsubTopic: byId.get(intended.id)!.pubsubTopic, filter: byId.get(intended.id)!.filter })),
  };
}
