import type { CheckMeta } from '../../src/check-api/types.js';
import { fingerprintOf } from '../../src/findings/fingerprint.js';
import type { FindingView } from '../../src/output/finding-view.js';

/** A stored, open finding with plausible values; override what a test is about. The fingerprint follows the ids. */
export function finding(overrides: Partial<FindingView> = {}): FindingView {
  const checkId = overrides.checkId ?? 'aws.s3.account-public-access-block';
  const resourceId = overrides.resourceId ?? 'aws:123456789012';
  const key = overrides.key ?? '';
  return {
    fingerprint: fingerprintOf(checkId, resourceId, key),
    checkId,
    resourceId,
    key,
    scope: 'aws:123456789012/eu-west-1',
    targetId: 'prod-aws',
    title: 'S3 account-level public access block is off',
    severity: 'high',
    status: 'open',
    decision: null,
    evidence: { blockPublicAcls: false },
    location: null,
    remediation: 'Turn on all four S3 Block Public Access settings for the account.',
    firstSeen: Date.UTC(2025, 0, 2, 3, 4, 5),
    lastSeen: Date.UTC(2025, 5, 7, 8, 9, 10),
    ...overrides,
  };
}

export function check(overrides: Partial<CheckMeta> = {}): CheckMeta {
  return {
    id: 'aws.s3.account-public-access-block',
    title: 'S3 Block Public Access is on for the account',
    area: 'aws',
    severity: 'high',
    description: 'Account-wide Block Public Access stops any bucket from being made public by ACL or policy.',
    remediation: 'Turn on all four S3 Block Public Access settings for the account.',
    references: [{ framework: 'cis-aws', version: '5.0.0', control: '2.1.4' }],
    ...overrides,
  };
}

export const ANSI = /\u001b\[[0-9;]*m/;
