import { z } from 'zod';
import type { SecurityHubRegionState } from '../cloud/aws/collect/securityhub.js';

/** Standards ARNs, with `{region}` where the ARN names one (the CIS 1.2 ruleset has none). */
export const securityHubBaseline = z.strictObject({
  standards: z.array(z.string().regex(/^arn:aws[a-z-]*:securityhub:(\{region\})?::(standards|ruleset)\/.+$/)).default([]),
});
export type SecurityHubBaseline = z.output<typeof securityHubBaseline>;

export function standardsFor(baseline: SecurityHubBaseline, region: string): string[] {
  return baseline.standards.map((template) => template.replaceAll('{region}', region));
}

export function missingStandards(state: SecurityHubRegionState, baseline: SecurityHubBaseline, region: string): string[] {
  const enabled = new Set(state.standards.filter((s) => s.status !== 'FAILED').map((s) => s.arn));
  return standardsFor(baseline, region).filter((arn) => !enabled.has(arn));
}
