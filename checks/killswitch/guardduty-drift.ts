import { z } from 'zod';
import type { GuardDutyDetectorState } from '../cloud/aws/collect/guardduty.js';

export const GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'EKS_RUNTIME_MONITORING',
  'LAMBDA_NETWORK_LOGS',
  'RUNTIME_MONITORING',
] as const;

const status = z.enum(['ENABLED', 'DISABLED']);

const s3Location = z.string().regex(/^(https:\/\/|s3:\/\/)\S+$/, 'an S3 object URL (https://… or s3://…)');

/**
 * A trusted IP set or threat list as GuardDuty stores it. A bare name is accepted for a trusted IP set: it approves the
 * set, but without a location it cannot be re-created after the detector is deleted (the restore then fails loudly).
 */
const ipSet = z.union([
  z.string().min(1).transform((name) => ({ name, format: undefined, location: undefined })),
  z.strictObject({ name: z.string().min(1), format: z.string().min(1).optional(), location: s3Location.optional() }),
]);
/** A threat list; `api: threatentityset` for the newer entity-set API (IPs and domains). */
const threatIntelSet = z.strictObject({ name: z.string().min(1), format: z.string().min(1).default('TXT'), location: s3Location, api: z.enum(['threatintelset', 'threatentityset']).default('threatintelset') });
const filter = z.strictObject({
  name: z.string().min(3),
  action: z.enum(['NOOP', 'ARCHIVE']).default('NOOP'),
  rank: z.number().int().min(1).max(100).optional(),
  description: z.string().default(''),
  /** As GetFilter returns it (`{ Criterion: { severity: { Gte: 7 } } }`); an approved ARCHIVE filter may not widen. */
  findingCriteria: z.record(z.string(), z.any()).default({}),
});
const publishingDestination = z.strictObject({ destinationType: z.literal('S3').default('S3'), destinationArn: z.string().min(1), kmsKeyArn: z.string().min(1) });

/**
 * The intended GuardDuty settings of every audited region, approved by an admin. Both GuardDuty checks read it: the
 * detector settings, and everything that hangs off a detector and is lost with it (trusted IP sets, threat lists,
 * filters, the findings export), which is re-applied after CreateDetector. `{account}` and `{region}` in a location
 * or ARN stand for the region being restored.
 */
export const guardDutyBaseline = z
  .strictObject({
    findingPublishingFrequency: z.enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']).default('FIFTEEN_MINUTES'),
    features: z
      .array(
        z.strictObject({
          name: z.enum(GUARDDUTY_FEATURES),
          status: status.default('ENABLED'),
          additionalConfiguration: z.array(z.strictObject({ name: z.string().min(1), status: status.default('ENABLED') })).default([]),
        }),
      )
      .default([]),
    /** Approved trusted IP sets; any other active one is an attack (findings about those addresses are suppressed). */
    trustedIpSets: z.array(ipSet).default([]),
    threatIntelSets: z.array(threatIntelSet).default([]),
    /** Approved filters; an ARCHIVE filter not listed here, or listed with other criteria, hides findings. */
    filters: z.array(filter).default([]),
    publishingDestinations: z.array(publishingDestination).default([]),
  })
  .refine((b) => !(b.features.some((f) => f.name === 'EKS_RUNTIME_MONITORING') && b.features.some((f) => f.name === 'RUNTIME_MONITORING')), {
    message: 'GuardDuty rejects EKS_RUNTIME_MONITORING together with RUNTIME_MONITORING; keep RUNTIME_MONITORING',
    path: ['features'],
  });
export type GuardDutyBaseline = z.output<typeof guardDutyBaseline>;

export interface GuardDutyDrift {
  readonly missing: boolean;
  readonly suspended: boolean;
  readonly frequency: { readonly actual: string | null; readonly intended: string } | null;
  /** `NAME` or `NAME/ADDITIONAL` whose status differs from the baseline, with the actual status. */
  readonly features: readonly { readonly name: string; readonly actual: string; readonly intended: string }[];
}

/** Compares one region's detector with the baseline; shared by the evaluator and the read-back after a fix. */
export function guardDutyDrift(state: GuardDutyDetectorState, baseline: GuardDutyBaseline): GuardDutyDrift {
  if (state.detectorId === null) return { missing: true, suspended: false, frequency: null, features: [] };
  const features: { name: string; actual: string; intended: string }[] = [];
  for (const intended of baseline.features) {
    const actual = state.features.find((f) => f.name === intended.name);
    if ((actual?.status ?? 'DISABLED') !== intended.status) features.push({ name: intended.name, actual: actual?.status ?? 'ABSENT', intended: intended.status });
    for (const extra of intended.additionalConfiguration) {
      const found = actual?.additional.find((a) => a.name === extra.name);
      if ((found?.status ?? 'DISABLED') !== extra.status) features.push({ name: `${intended.name}/${extra.name}`, actual: found?.status ?? 'ABSENT', intended: extra.status });
    }
  }
  const frequency = state.findingPublishingFrequency !== baseline.findingPublishingFrequency ? { actual: state.findingPublishingFrequency, intended: baseline.findingPublishingFrequency } : null;
  return { missing: false, suspended: state.status !== 'ENABLED', frequency, features };
}

export function hasDrift(drift: GuardDutyDrift): boolean {
  return drift.missing || drift.suspended || drift.frequency !== null || drift.features.length > 0;
}

/** The features argument of CreateDetector/UpdateDetector that restores the baseline. */
export function baselineFeatures(baseline: GuardDutyBaseline) {
  return baseline.features.map((f) => ({
    Name: f.name,
    Status: f.status,
    ...(f.additionalConfiguration.length ? { AdditionalConfiguration: f.additionalConfiguration.map((a) => ({ Name: a.name as never, Status: a.status })) } : {}),
  }));
}

/** Fills `{account}` and `{region}` in a baseline location or ARN for the region being restored. */
export function forRegion(value: string, account: string, region: string): string {
  return value.replaceAll('{account}', account).replaceAll('{region}', region);
}
