import { z } from 'zod';
import type { CheckContext, Collected } from '../../../src/check-api/types.js';
import { gcpClientsFrom } from './clients.js';
import { gcpCollectorError } from './gcp-errors.js';
import { gcpScope, type SccFindingsOptions } from './scc-options.js';

export { sccFindingsOptions, type SccFindingsOptions } from './scc-options.js';

const findingSchema = z.object({
  name: z.string().min(1),
  resourceName: z.string().min(1),
  category: z.string().default(''),
  state: z.string(),
  severity: z.enum(['SEVERITY_UNSPECIFIED', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).default('SEVERITY_UNSPECIFIED'),
  mute: z.string().default('MUTE_UNSPECIFIED'),
  eventTime: z.object({ seconds: z.union([z.string(), z.number()]).optional() }).nullish(),
});

export interface SccFinding {
  readonly name: string;
  readonly resourceName: string;
  readonly category: string;
  readonly severity: 'SEVERITY_UNSPECIFIED' | 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  readonly muted: boolean;
  readonly eventTime: string | null;
}

/** Active findings across every source of the organization (`sources/-`), all pages. */
export async function collectSccFindings(ctx: CheckContext<SccFindingsOptions>): Promise<Collected<{ organization: string; findings: SccFinding[] }>> {
  const client = gcpClientsFrom(ctx.services).securityCenter();
  const scope = gcpScope(ctx.options.organization);
  try {
    const findings: SccFinding[] = [];
    for await (const result of client.listFindingsAsync({ parent: `${ctx.options.organization}/sources/-`, filter: 'state="ACTIVE"' })) {
      const finding = findingSchema.parse(result.finding);
      if (finding.state !== 'ACTIVE') continue;
      const seconds = finding.eventTime?.seconds;
      findings.push({
        name: finding.name,
        resourceName: finding.resourceName,
        category: finding.category,
        severity: finding.severity,
        muted: finding.mute === 'MUTED',
        eventTime: seconds !== undefined ? new Date(Number(seconds) * 1000).toISOString() : null,
      });
    }
    findings.sort((a, b) => a.name.localeCompare(b.name));
    return { data: { organization: ctx.options.organization, findings }, coverage: { ok: [scope], failed: [] } };
  } catch (error) {
    return { data: { organization: ctx.options.organization, findings: [] }, coverage: { ok: [], failed: [{ scope, error: gcpCollectorError(error, 'securitycenter:ListFindings') }] } };
  }
}
