import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { sccServicesOptions } from '../gcp/collect/scc-options.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { killswitchMode } from './options.js';
import { intendedFor, sccBaseline, sccModuleDrift, sccServiceDrifted } from './scc-drift.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectSccServices = lazyCollector(() => import('../gcp/collect/scc-services.js').then((m) => m.collectSccServices));
const remediateSccServices = lazyStep(() => import('./remediate/scc.js').then((m) => m.remediateSccServices));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('scc');

export default defineCheck({
  id: 'killswitch.scc-enabled',
  title: 'Security Command Center detection services and their modules stay enabled at every organization, folder and project',
  area: 'killswitch',
  severity: 'critical',
  description:
    'Reads Event Threat Detection, Security Health Analytics, Container Threat Detection and VM Threat Detection through ' +
    'the SCC management API at each configured organization, folder and project (with `walk`, at every ACTIVE folder and ' +
    'project beneath them, listed afresh each run). A service or module set to DISABLED below the organization ' +
    'overrides the organization, so it is reported there; a module whose organization setting differs from the baseline ' +
    'is reported too. In enforce mode the intended state is put back (ENABLED at the organization, INHERITED below) with ' +
    'an updateMask naming only the field written, so other settings are kept.',
  remediation:
    'UpdateSecurityCenterService with intendedEnablementState ENABLED (organization) or INHERITED (folder/project) and ' +
    'updateMask=intended_enablement_state, or the modules map with updateMask=modules; find who disabled it in the Admin ' +
    'Activity audit log.',
  references: [
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
    { framework: 'cis-gcp', version: '2.0.0', control: '2.1', title: 'Cloud Audit Logging is configured properly' },
  ],
  options: z.strictObject({ ...sccServicesOptions, mode: killswitchMode, baseline: sccBaseline.optional() }),
  needs: { scc: collectSccServices, baseline: approved },
  evaluate({ scc, baseline }) {
    const findings: FindingInput[] = [];
    const wanted = new Set<string>(baseline.baseline.services);
    for (const parent of scc.parents) {
      for (const state of parent.services) {
        if (!wanted.has(state.service)) continue;
        const tags = ['gcp', 'scc', `service:${state.service}`];
        if (sccServiceDrifted(parent.parent, state)) {
          findings.push({
            resourceId: state.name,
            key: 'enablement',
            scope: parent.scope,
            title: `SCC ${state.service} is ${state.intended} at ${parent.parent}`,
            severity: 'critical',
            evidence: { parent: parent.parent, service: state.service, intended: state.intended, effective: state.effective, restoreTo: intendedFor(parent.parent), baseline: baselineEvidence(baseline) },
            tags,
          });
        }
        for (const drift of sccModuleDrift(parent.parent, state, baseline.baseline)) {
          findings.push({
            resourceId: state.name,
            key: `module:${drift.module}`,
            scope: parent.scope,
            title: `SCC ${state.service} module ${drift.module} is ${drift.intended} at ${parent.parent} (baseline: ${drift.restoreTo === 'INHERITED' ? 'ENABLED at the organization' : drift.restoreTo})`,
            severity: 'high',
            evidence: { parent: parent.parent, service: state.service, module: drift.module, intended: drift.intended, effective: drift.effective, restoreTo: drift.restoreTo, baseline: baselineEvidence(baseline) },
            tags: [...tags, `module:${drift.module}`],
          });
        }
      }
    }
    return findings;
  },
  remediate: remediateSccServices,
});
