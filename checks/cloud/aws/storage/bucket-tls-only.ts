import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsS3 } from '../collect/cis-collectors.js';

interface RawStatement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

/** A Deny for every principal on s3:* (or *) when aws:SecureTransport is false: the CIS 2.1.1 policy. */
export function deniesPlainHttp(policy: string | null): boolean {
  if (!policy) return false;
  let parsed: { Statement?: RawStatement | RawStatement[] };
  try {
    parsed = JSON.parse(policy) as typeof parsed;
  } catch {
    return false;
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return statements.some((s) => {
    const everyone = s.Principal === '*' || list((s.Principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
    const allActions = list(s.Action).some((a) => a === 's3:*' || a === '*');
    const insecure = Object.entries(s.Condition ?? {}).some(([op, cond]) => op.startsWith('Bool') && list(cond['aws:SecureTransport']).some((v) => v.toLowerCase() === 'false'));
    return s.Effect === 'Deny' && everyone && allActions && insecure;
  });
}

export default defineAwsCheck({
  id: 'aws.s3.bucket-tls-only',
  title: 'Every S3 bucket policy denies requests that do not use TLS',
  severity: 'medium',
  description: 'GetBucketPolicy of every bucket: a Deny statement for every principal on s3:* with Condition Bool aws:SecureTransport = false. No policy fails.',
  remediation: 'Add to the bucket policy: {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":[bucket, bucket/*],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.',
  needs: { s3: awsS3 },
  evaluate({ s3 }) {
    return s3.accounts.flatMap((a) =>
      a.data.buckets
        .filter((b) => !deniesPlainHttp(b.policy))
        .map((b) => awsFinding({ account: a.account, region: b.region, scope: a.scope, resourceId: `arn:aws:s3:::${b.name}`, title: `Bucket ${b.name} accepts plain HTTP requests`, severity: 'medium', evidence: { bucket: b.name, hasPolicy: b.policy !== null } })),
    );
  },
});
