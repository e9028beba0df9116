import type { FindingInput, RemediationRecord } from './types.js';

/** A check's options ask for remediation only with `mode: enforce`; anything else (detect, absent) only reports. */
export function wantsEnforce(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as { mode?: unknown }).mode === 'enforce';
}

export const REMEDIATION_FAILED_SUFFIX = '#remediation-failed';

/**
 * A remediation that failed (AccessDenied on the write, or a read-back that still shows the attack) becomes its own
 * critical finding beside the original. It is alerted once as new; while the fix keeps failing it stays open without
 * new alerts, and it resolves on the first tick whose fix succeeds. The runner tries once per tick, never in a loop.
 */
export function remediationFailureFinding(record: RemediationRecord, original: FindingInput | undefined): FindingInput {
  return {
    resourceId: record.resourceId,
    key: `${record.key ?? ''}${REMEDIATION_FAILED_SUFFIX}`,
    ...(original?.scope !== undefined ? { scope: original.scope } : {}),
    title: `Remediation failed: ${original?.title ?? record.resourceId}`,
    severity: 'critical',
    evidence: { actions: [...record.actions], error: record.error ?? null, before: record.before, after: record.after },
    ...(original?.location ? { location: original.location } : {}),
    remediation:
      'Vigil could not restore the baseline. Check that the enforce role has the write permissions in deploy/aws, ' +
      'then restore the service by hand and find out who changed it.',
    tags: ['remediation-failed', ...(original?.tags ?? [])],
  };
}
