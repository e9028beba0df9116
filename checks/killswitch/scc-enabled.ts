import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { sccServicesOptions } from '../gcp/collect/scc-options.js';
import { killswitchMode } from './options.js';
import { intendedFor, sccBaseline, sccServiceDrifted } from './scc-drift.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectSccServices = lazyCollector(() => import('../gcp/collect/scc-services.js').then((m) => m.collectSccServices));
const remediateSccServices = lazyStep(() => import('./remediate/scc.js').then((m) => m.remediateSccServices));

export default defineCheck({
  id: 'killswitch.scc-enabled',
  title: 'Security Command Center detection services stay enabled at every audited organization, folder and project',
  area: 'killswitch',
  severity: 'critical',
  description:
    'Reads Event Threat Detection, Security Health Analytics, Container Threat Detection and VM Threat Detection through ' +
    'the SCC management API at each configured organization, folder and project. A service set to DISABLED below the ' +
    'organization overrides the organization, so it is reported there. In enforce mode the intended state is put back ' +
    '(ENABLED at the organization, INHERITED below) with an updateMask naming only that field, so module settings are kept.',
  remediation:
    'UpdateSecurityCenterService with intendedEnablementState ENABLED (organization) or INHERITED (folder/project) and ' +
    'updateMask=intended_enablement_state; find who disabled it in the Admin Activity audit log.',
  references: [
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
    { framework: 'cis-gcp', version: '2.0.0', control: '2.1', title: 'Cloud Audit Logging is configured properly' },
  ],
  options: z.strictObject({ ...sccServicesOptions, mode: killswitchMode, baseline: sccBaseline.prefault({}) }),
  needs: { scc: collectSccServices },
  evaluate({ scc }, options) {
    const findings: FindingInput[] = [];
    const wanted = new Set<string>(options.baseline.services);
    for (const parent of scc.parents) {
      for (const state of parent.services) {
        if (!wanted.has(state.service) || !sccServiceDrifted(parent.parent, state)) continue;
        findings.push({
          resourceId: state.name,
          key: 'enablement',
          scope: parent.scope,
          title: `SCC ${state.service} is ${state.intended} at ${parent.parent}`,
          severity: 'critical',
          evidence: { parent: parent.parent, service: state.service, intended: state.intended, effective: state.effective, restoreTo: intendedFor(parent.parent) },
          tags: ['gcp', 'scc', `service:${state.service}`],
        });
      }
    }
    return findings;
  },
  remediate: remediateSccServices,
});
