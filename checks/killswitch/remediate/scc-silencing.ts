import { gcpClientsFrom } from '../../gcp/collect/clients.js';
import { readMuteConfigs, readSccSilencing, type SccSilencingOptions, type SccSilencingState } from '../../gcp/collect/scc-silencing.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import type { ApprovedBaseline } from '../baselines.js';
import { sccSilencingDrift, type SccSilencingBaseline } from '../scc-silencing-drift.js';

/**
 * Deletes unapproved mute rules (the event keeps their filter) and re-creates deleted notification configs from the
 * baseline. A notification config that was changed rather than deleted is left for a person: re-pointing it blindly
 * could send findings to the wrong topic if the baseline itself is stale.
 */
export async function remediateSccSilencing({ data, findings, options, ctx }: RemediateInput<{ silencing: SccSilencingState | null; baseline: ApprovedBaseline<SccSilencingBaseline> }, SccSilencingOptions>): Promise<RemediationRecord[]> {
  if (!data.silencing) return [];
  const state = data.silencing;
  const client = gcpClientsFrom(ctx.services).securityCenter();
  const drift = sccSilencingDrift(state, data.baseline.baseline);
  const records: RemediationRecord[] = [];
  for (const finding of findings) {
    const mute = finding.key === 'mute' ? drift.unapprovedMutes.find((m) => m.name === finding.resourceId) : undefined;
    const missing = finding.key === 'notification' ? drift.missingNotifications.find((c) => finding.resourceId.endsWith(`/notificationConfigs/${c.id}`)) : undefined;
    if (!mute && !missing) continue;
    const action = mute ? 'securitycenter:DeleteMuteConfig' : 'securitycenter:CreateNotificationConfig';
    const before: { [key: string]: JsonValue } = mute ? { exists: true, filter: mute.filter, description: mute.description } : { exists: false };
    try {
      if (mute) await client.deleteMuteConfig({ name: mute.name });
      else
        await client.createNotificationConfig({
          parent: state.organization,
          configId: missing!.id,
          notificationConfig: { description: missing!.description, pubsubTopic: missing!.pubsubTopic, streamingConfig: { filter: missing!.filter } },
        });
      // Read back where the change was made: the organization, or the folder/project of the deleted rule.
      const read = await readSccSilencing(client, state.organization);
      const after = mute && mute.parent !== state.organization ? { ...read, muteConfigs: await readMuteConfigs(client, mute.parent) } : read;
      const left = sccSilencingDrift(after, data.baseline.baseline);
      const fixed = mute ? !left.unapprovedMutes.some((m) => m.name === mute.name) : !left.missingNotifications.some((c) => c.id === missing!.id);
      const afterJson: { [key: string]: JsonValue } = mute ? { exists: after.muteConfigs.some((m) => m.name === mute.name) } : { exists: after.notificationConfigs.some((c) => c.id === missing!.id), pubsubTopic: missing!.pubsubTopic };
      records.push({ resourceId: finding.resourceId, key: finding.key!, actions: [action], outcome: fixed ? 'fixed' : 'failed', before, after: afterJson, ...(fixed ? {} : { error: 'read-back still differs' }) });
    } catch (error) {
      records.push({ resourceId: finding.resourceId, key: finding.key!, actions: [action], outcome: 'failed', before, after: null, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return records;
}
