import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { gcpScope, sccSilencingOptions } from '../gcp/collect/scc-options.js';
import { killswitchMode } from './options.js';
import { approvedBaseline, baselineEvidence } from './baselines.js';
import { sccSilencingBaseline, sccSilencingDrift } from './scc-silencing-drift.js';

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectSccSilencing = lazyCollector(() => import('../gcp/collect/scc-silencing.js').then((m) => m.collectSccSilencing));
const remediateSccSilencing = lazyStep(() => import('./remediate/scc-silencing.js').then((m) => m.remediateSccSilencing));

// Declared outside defineCheck so the baseline kind types the collector (inside, inference would widen it).
const approved = approvedBaseline('scc-silencing');

export default defineCheck({
  id: 'killswitch.scc-silencing',
  title: 'No unapproved SCC mute rule hides findings, and the baseline notification configs still deliver them',
  area: 'killswitch',
  severity: 'critical',
  description:
    'Silencing SCC without disabling it: a catch-all mute rule, or the notification config that carries findings to ' +
    'Pub/Sub (and on to the SOC) deleted or pointed elsewhere. Mute rules are diffed against the approved list and ' +
    'notification configs against the baseline. In enforce mode an unapproved mute rule is deleted (its filter is kept ' +
    'in the remediation event) and a deleted notification config is re-created; a changed one is reported only.',
  remediation: 'Delete the unapproved mute rule and unmute what it hid; re-create the notification config; find the principal in the Admin Activity audit log.',
  references: [
    { framework: 'mitre-attack', control: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools' },
    { framework: 'mitre-attack', control: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs' },
  ],
  options: z.strictObject({ ...sccSilencingOptions, mode: killswitchMode, baseline: sccSilencingBaseline.optional() }),
  needs: { silencing: collectSccSilencing, baseline: approved },
  evaluate({ silencing, baseline }) {
    if (!silencing) return [];
    const drift = sccSilencingDrift(silencing, baseline.baseline);
    const scope = gcpScope(silencing.organization);
    const findings: FindingInput[] = [];
    for (const mute of drift.unapprovedMutes) {
      findings.push({
        resourceId: mute.name,
        key: 'mute',
        scope: gcpScope(mute.parent),
        title: `SCC mute rule '${mute.id}'${mute.parent === silencing.organization ? '' : ` on ${mute.parent}`} is not in the baseline and hides findings matching: ${mute.filter || '(everything)'}`,
        severity: 'critical',
        evidence: { organization: silencing.organization, id: mute.id, filter: mute.filter, description: mute.description, baseline: baselineEvidence(baseline) },
        tags: ['gcp', 'scc', 'mute'],
      });
    }
    for (const missing of drift.missingNotifications) {
      findings.push({
        resourceId: `${silencing.organization}/notificationConfigs/${missing.id}`,
        key: 'notification',
        scope,
        title: `SCC notification config '${missing.id}' was deleted: findings no longer reach ${missing.pubsubTopic}`,
        severity: 'critical',
        evidence: { organization: silencing.organization, id: missing.id, deleted: true, intendedTopic: missing.pubsubTopic, intendedFilter: missing.filter, baseline: baselineEvidence(baseline) },
        tags: ['gcp', 'scc', 'notification'],
      });
    }
    for (const changed of drift.changedNotifications) {
      const intended = baseline.baseline.notificationConfigs.find((c) => c.id === changed.id)!;
      findings.push({
        resourceId: `${silencing.organization}/notificationConfigs/${changed.id}`,
        key: 'notification',
        scope,
        title: `SCC notification config '${changed.id}' differs from the baseline (topic or filter changed)`,
        severity: 'high',
        evidence: { organization: silencing.organization, id: changed.id, deleted: false, pubsubTopic: changed.pubsubTopic, filter: changed.filter, intendedTopic: intended.pubsubTopic, intendedFilter: intended.filter, baseline: baselineEvidence(baseline) },
        tags: ['gcp', 'scc', 'notification'],
      });
    }
    return findings;
  },
  remediate: remediateSccSilencing,
});
