import { gcpClientsFrom } from '../../gcp/collect/clients.js';
import { toServiceState, type SccParentServices, type SccServiceState, type SccServicesOptions } from '../../gcp/collect/scc-services.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import type { ApprovedBaseline } from '../baselines.js';
import { intendedFor, sccModuleDrift, sccServiceDrifted, type SccBaseline } from '../scc-drift.js';

/**
 * PATCHes only the field a finding is about, always with an `updateMask`: without it the API updates every field, and
 * the REST client always sends `modules: {}`, which would wipe the module overrides along with the attack. A module
 * fix reads the service first and writes back its whole modules map with one entry changed (the mask `modules`
 * replaces the map), so two module fixes in a row do not undo each other.
 */
export async function remediateSccServices({ data, findings, ctx }: RemediateInput<{ scc: { parents: SccParentServices[] }; baseline: ApprovedBaseline<SccBaseline> }, SccServicesOptions>): Promise<RemediationRecord[]> {
  const client = gcpClientsFrom(ctx.services).management();
  const baseline = data.baseline.baseline;
  const states = new Map(data.scc.parents.flatMap((parent) => parent.services.map((state) => [state.name, { parent: parent.parent, state }] as const)));
  const records: RemediationRecord[] = [];
  for (const finding of findings) {
    const target = states.get(finding.resourceId);
    const key = finding.key ?? '';
    if (!target || !(key === 'enablement' || key.startsWith('module:'))) continue;
    const module = key.startsWith('module:') ? key.slice('module:'.length) : null;
    const before = stateJson(target.state);
    const actions = ['securitycentermanagement:UpdateSecurityCenterService'];
    try {
      if (module === null) {
        await client.updateSecurityCenterService({
          securityCenterService: { name: target.state.name, intendedEnablementState: intendedFor(target.parent) },
          updateMask: { paths: ['intended_enablement_state'] },
        });
      } else {
        const restoreTo = sccModuleDrift(target.parent, target.state, baseline).find((d) => d.module === module)?.restoreTo ?? (target.parent.startsWith('organizations/') ? 'ENABLED' : 'INHERITED');
        const [current] = await client.getSecurityCenterService({ name: target.state.name });
        const modules = { ...toServiceState(current).modules };
        const next = Object.fromEntries(Object.entries(modules).map(([name, s]) => [name, { intendedEnablementState: s.intended }]));
        next[module] = { intendedEnablementState: restoreTo };
        await client.updateSecurityCenterService({ securityCenterService: { name: target.state.name, modules: next }, updateMask: { paths: ['modules'] } });
      }
      const [raw] = await client.getSecurityCenterService({ name: target.state.name });
      const after = toServiceState(raw);
      const verified = module === null ? !sccServiceDrifted(target.parent, after) : !sccModuleDrift(target.parent, after, baseline).some((d) => d.module === module);
      records.push({ resourceId: finding.resourceId, key, actions, outcome: verified ? 'fixed' : 'failed', before, after: stateJson(after), ...(verified ? {} : { error: `read-back shows ${module ? after.modules[module]?.intended : after.intended}` }) });
    } catch (error) {
      records.push({ resourceId: finding.resourceId, key, actions, outcome: 'failed', before, after: null, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return records;
}

function stateJson(state: SccServiceState): { [key: string]: JsonValue } {
  return { intended: state.intended, effective: state.effective, modules: Object.fromEntries(Object.entries(state.modules).map(([m, s]) => [m, { ...s }])) };
}
