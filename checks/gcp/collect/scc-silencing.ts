import { z } from 'zod';
import type { CheckContext, Collected } from '../../../src/check-api/types.js';
import { gcpClientsFrom, type SecurityCenterClient } from './clients.js';
import { gcpCollectorError } from './gcp-errors.js';
import { gcpScope, type SccSilencingOptions } from './scc-options.js';

export { sccSilencingOptions, type SccSilencingOptions } from './scc-options.js';

const muteSchema = z.object({ name: z.string().regex(/\/muteConfigs\/[^/]+$/), filter: z.string().default(''), description: z.string().nullish() });
const notificationSchema = z.object({
  name: z.string().regex(/\/notificationConfigs\/[^/]+$/),
  pubsubTopic: z.string().default(''),
  description: z.string().nullish(),
  streamingConfig: z.object({ filter: z.string().default('') }).nullish(),
});

export interface SccMuteConfig {
  readonly id: string;
  readonly name: string;
  readonly filter: string;
  readonly description: string;
}

export interface SccNotificationConfig {
  readonly id: string;
  readonly name: string;
  readonly pubsubTopic: string;
  readonly filter: string;
}

export interface SccSilencingState {
  readonly organization: string;
  readonly muteConfigs: readonly SccMuteConfig[];
  readonly notificationConfigs: readonly SccNotificationConfig[];
}

const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);

export async function readSccSilencing(client: SecurityCenterClient, organization: string): Promise<SccSilencingState> {
  const muteConfigs: SccMuteConfig[] = [];
  for await (const raw of client.listMuteConfigsAsync({ parent: organization })) {
    const mute = muteSchema.parse(raw);
    muteConfigs.push({ id: idOf(mute.name), name: mute.name, filter: mute.filter, description: mute.description ?? '' });
  }
  const notificationConfigs: SccNotificationConfig[] = [];
  for await (const raw of client.listNotificationConfigsAsync({ parent: organization })) {
    const config = notificationSchema.parse(raw);
    notificationConfigs.push({ id: idOf(config.name), name: config.name, pubsubTopic: config.pubsubTopic, filter: config.streamingConfig?.filter ?? '' });
  }
  return {
    organization,
    muteConfigs: muteConfigs.sort((a, b) => a.id.localeCompare(b.id)),
    notificationConfigs: notificationConfigs.sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** The organization's mute rules and notification configs: the quiet ways to stop SCC findings reaching anyone. */
export async function collectSccSilencing(ctx: CheckContext<SccSilencingOptions>): Promise<Collected<SccSilencingState | null>> {
  const scope = gcpScope(ctx.options.organization);
  try {
    const data = await readSccSilencing(gcpClientsFrom(ctx.services).securityCenter(), ctx.options.organization);
    return { data, coverage: { ok: [scope], failed: [] } };
  } catch (error) {
    return { data: null, coverage: { ok: [], failed: [{ scope, error: gcpCollectorError(error, 'securitycenter:ListMuteConfigs/ListNotificationConfigs') }] } };
  }
}
