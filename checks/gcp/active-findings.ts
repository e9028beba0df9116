import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import { lazyCollector, lazyStep } from '../../src/check-api/lazy.js';
import type { FindingInput, Severity } from '../../src/check-api/types.js';
import { gcpScope, sccFindingsOptions } from './collect/scc-options.js';

const SEVERITY: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', SEVERITY_UNSPECIFIED: 'info' };

// Loaded on first run, so listing checks or starting the CLI does not load the cloud SDKs.
const collectSccFindings = lazyCollector(() => import('./collect/scc-findings.js').then((m) => m.collectSccFindings));

export default defineCheck({
  id: 'gcp.scc.active-findings',
  title: 'Active Security Command Center findings are imported into the ledger',
  area: 'gcp',
  severity: 'high',
  description:
    "Pulls the organization's active Security Command Center findings (every source) so AWS and GCP posture are " +
    'browsed, alerted and ticketed in one place. A finding SCC marks inactive disappears from the next complete run ' +
    'and is resolved here too. Findings muted in SCC are skipped unless `includeMuted` is set.',
  remediation: 'Follow the SCC finding\'s own guidance for its category; fix the resource, or mute the finding in SCC with a reason.',
  references: [
    { framework: 'cis-gcp', version: '2.0.0', control: '2.1', title: 'Cloud Audit Logging is configured properly' },
    { framework: 'cis-controls', version: '8', control: '7.1', title: 'Establish and maintain a vulnerability management process' },
  ],
  options: z.strictObject({ ...sccFindingsOptions, includeMuted: z.boolean().default(false) }),
  needs: { scc: collectSccFindings },
  evaluate({ scc }, options) {
    const findings: FindingInput[] = [];
    for (const finding of scc.findings) {
      if (finding.muted && !options.includeMuted) continue;
      findings.push({
        resourceId: finding.resourceName,
        key: finding.name,
        scope: gcpScope(scc.organization),
        title: `SCC ${finding.category || 'finding'} on ${finding.resourceName}`,
        severity: SEVERITY[finding.severity] ?? 'info',
        evidence: { sccFinding: finding.name, category: finding.category, sccSeverity: finding.severity, muted: finding.muted, eventTime: finding.eventTime },
        location: { url: `https://console.cloud.google.com/security/command-center/findingsv2;name=${encodeURIComponent(finding.name)}` },
        tags: ['gcp', 'scc', `category:${finding.category}`],
      });
    }
    return findings;
  },
});
