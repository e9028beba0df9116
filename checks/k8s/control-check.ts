import { defineCheck } from '../../src/check-api/define-check.js';
import type { CollectedData, Collector, Reference, Severity } from '../../src/check-api/types.js';
import { findingsOf, type ControlAssessment } from './control-result.js';
import { k8sOptionsSchema, type K8sOptions } from './options.js';

export interface K8sControlMeta {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly Reference[];
}

/**
 * How every k8s control family turns one row of its table into a check: the shared collection in, the family's
 * assessment (also used by `audit k8s score`) out as findings, with config exceptions applied.
 */
export function defineK8sControlCheck<Needs extends Record<string, Collector<any, any>>>(
  meta: K8sControlMeta,
  needs: Needs,
  assess: (data: CollectedData<Needs>, options: K8sOptions) => ControlAssessment,
) {
  return defineCheck({
    id: meta.id,
    title: meta.title,
    area: 'k8s',
    severity: meta.severity,
    description: meta.description,
    remediation: meta.remediation,
    references: meta.references,
    options: k8sOptionsSchema,
    needs,
    evaluate(data, options) {
      return findingsOf(meta.id, assess(data, options), options.exceptions);
    },
  });
}
