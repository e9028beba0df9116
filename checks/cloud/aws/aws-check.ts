import { defineCheck as define } from '../../../src/check-api/define-check.js';
import type { CheckDefinition, Collector, FindingInput, JsonValue, Reference, Severity } from '../../../src/check-api/types.js';
import { cisReferences } from './cis-catalog.js';
import { awsCisOptions, awsCliTarget, type AwsCisOptions } from './options.js';

type AwsCheckSpec<Needs extends Record<string, Collector<any, any>>> = Omit<
  CheckDefinition<typeof awsCisOptions, Needs>,
  'area' | 'options' | 'references' | 'cliTarget'
> & { readonly references?: readonly Reference[] };

/**
 * An `aws.*` check: area, the shared option schema, `--target <account>` and the CIS references (from the catalog, so
 * a control's numbers are written once) are filled in; the check gives its metadata, needs and pure `evaluate`.
 */
export function defineAwsCheck<Needs extends Record<string, Collector<any, any>>>(spec: AwsCheckSpec<Needs>) {
  return define({
    ...spec,
    area: 'aws',
    options: awsCisOptions,
    cliTarget: awsCliTarget,
    references: [...cisReferences(spec.id), ...(spec.references ?? [])],
  });
}

export interface AwsFindingSpec {
  readonly account: string;
  readonly region?: string;
  readonly scope: string;
  readonly resourceId: string;
  readonly key?: string;
  readonly title: string;
  readonly severity: Severity;
  readonly evidence: { readonly [key: string]: JsonValue };
}

export function awsFinding(spec: AwsFindingSpec): FindingInput {
  return {
    resourceId: spec.resourceId,
    ...(spec.key ? { key: spec.key } : {}),
    scope: spec.scope,
    title: spec.title,
    severity: spec.severity,
    evidence: { account: spec.account, ...(spec.region ? { region: spec.region } : {}), ...spec.evidence },
    ...(spec.region ? { location: { region: spec.region } } : {}),
    tags: ['aws', `account:${spec.account}`],
  };
}

/** `aws:<account>/<region>/<what>` for things without an ARN (a region's setting, an account-wide chain). */
export function awsResourceId(account: string, region: string, what: string): string {
  return `aws:${account}/${region}/${what}`;
}

/** The evaluation instant: `asOf` when given (re-evaluating a saved inventory), else when the data was collected. */
export function evaluationTime(options: AwsCisOptions, collectedAt: string): number {
  return Date.parse(options.asOf ?? collectedAt);
}

export const DAY_MS = 86_400_000;
