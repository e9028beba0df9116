import { gcpClientsFrom } from '../../gcp/collect/clients.js';
import { toServiceState, type SccParentServices, type SccServiceState, type SccServicesOptions } from '../../gcp/collect/scc-services.js';
import type { JsonValue, RemediateInput, RemediationRecord } from '../../../src/check-api/types.js';
import { intendedFor, sccServiceDrifted } from '../scc-drift.js';

/**
 * PATCHes only `intended_enablement_state`. The mask is not optional here: without it the API updates every field, and
 * the REST client always sends `modules: {}`, which would wipe the module overrides along with the attack.
 */
export async function remediateSccServices({ data, findings, ctx }: RemediateInput<{ scc: { parents: SccParentServices[] } }, SccServicesOptions>): Promise<RemediationRecord[]> {
  const client = gcpClientsFrom(ctx.services).management();
  const states = new Map(data.scc.parents.flatMap((parent) => parent.services.map((state) => [state.name, { parent: parent.parent, state }] as const)));
  const records: RemediationRecord[] = [];
  for (const finding of findings) {
    const target = states.get(finding.resourceId);
    if (!target || finding.key !== 'enablement') continue;
    const before = stateJson(target.state);
    const intended = intendedFor(target.parent);
    const actions = ['securitycentermanagement:UpdateSecurityCenterService'];
    try {
      await client.updateSecurityCenterService({
        securityCenterService: { name: target.state.name, intendedEnablementState: intended },
        updateMask: { paths: ['intended_enablement_state'] },
      });
      const [raw] = await client.getSecurityCenterService({ name: target.state.name });
      const after = toServiceState(raw);
      const verified = after.intended === intended && !sccServiceDrifted(target.parent, after);
      records.push({ resourceId: finding.resourceId, key: 'enablement', actions, outcome: verified ? 'fixed' : 'failed', before, after: stateJson(after), ...(verified ? {} : { error: `read-back shows ${after.intended}` }) });
    } catch (error) {
      records.push({ resourceId: finding.resourceId, key: 'enablement', actions, outcome: 'failed', before, after: null, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return records;
}

function stateJson(state: SccServiceState): { [key: string]: JsonValue } {
  return { intended: state.intended, effective: state.effective, modules: Object.fromEntries(Object.entries(state.modules).map(([m, s]) => [m, { ...s }])) };
}
