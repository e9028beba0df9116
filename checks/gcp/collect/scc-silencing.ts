import { z } from 'zod';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { mapLimit } from '../../../src/check-api/map-limit.js';
import { walkResourceTree } from './resource-tree.js';
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
  /** The organization, folder or project the rule lives in (its findings are the ones it hides). */
  readonly parent: string;
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

export async function readMuteConfigs(client: SecurityCenterClient, parent: string): Promise<SccMuteConfig[]> {
  const muteConfigs: SccMuteConfig[] = [];
  for await (const raw of client.listMuteConfigsAsync({ parent })) {
    const mute = muteSchema.parse(raw);
    muteConfigs.push({ id: idOf(mute.name), name: mute.name, parent, filter: mute.filter, description: mute.description ?? '' });
  }
  return muteConfigs;
}

export async function readSccSilencing(client: SecurityCenterClient, organization: string): Promise<SccSilencingState> {
  const muteConfigs = await readMuteConfigs(client, organization);
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

/**
 * The organization's mute rules and notification configs, the quiet ways to stop SCC findings reaching anyone, and
 * with `walk` the mute rules of every ACTIVE folder and project beneath it (a folder or project that cannot be read
 * is a failed scope there).
 */
export async function collectSccSilencing(ctx: CheckContext<SccSilencingOptions>): Promise<Collected<SccSilencingState | null>> {
  const scope = gcpScope(ctx.options.organization);
  const clients = gcpClientsFrom(ctx.services);
  let data: SccSilencingState;
  try {
    data = await readSccSilencing(clients.securityCenter(), ctx.options.organization);
  } catch (error) {
    return { data: null, coverage: { ok: [], failed: [{ scope, error: gcpCollectorError(error, 'securitycenter:ListMuteConfigs/ListNotificationConfigs') }] } };
  }
  if (!ctx.options.walk) return { data, coverage: { ok: [scope], failed: [] } };
  const walked = await walkResourceTree(clients, [ctx.options.organization], new Set(ctx.options.excludeParents), ctx.options.concurrency);
  const failed: Coverage['failed'][number][] = [...walked.failed];
  const ok: string[] = [];
  const below: SccMuteConfig[] = [];
  await mapLimit(walked.parents, ctx.options.concurrency, async (parent) => {
    try {
      below.push(...(await readMuteConfigs(clients.securityCenter(), parent)));
      ok.push(gcpScope(parent));
    } catch (error) {
      failed.push({ scope: gcpScope(parent), error: gcpCollectorError(error, 'securitycenter:ListMuteConfigs') });
    }
  });
  const failedScopes = new Set(failed.map((f) => f.scope));
  return {
    data: { ...data, muteConfigs: [...data.muteConfigs, ...below.sort((a, b) => a.name.localeCompare(b.name))] },
    coverage: { ok: [scope, ...ok.sort()].filter((s) => !failedScopes.has(s)), failed },
  };
}
