import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';

/** An account the audit reaches: its id, and the role to assume in it (absent when the base credentials are its own). */
export interface AwsAccountRef {
  readonly id: string;
  readonly roleArn?: string;
}

/** The SDK's credential shapes, spelled out so we depend on no transitive types package. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

const CLIENTS = {
  accessanalyzer: AccessAnalyzerClient,
  cloudtrail: CloudTrailClient,
  cloudwatch: CloudWatchClient,
  config: ConfigServiceClient,
  ec2: EC2Client,
  efs: EFSClient,
  guardduty: GuardDutyClient,
  iam: IAMClient,
  kms: KMSClient,
  logs: CloudWatchLogsClient,
  organizations: OrganizationsClient,
  rds: RDSClient,
  route53: Route53Client,
  s3: S3Client,
  s3control: S3ControlClient,
  securityhub: SecurityHubClient,
  sns: SNSClient,
  sts: STSClient,
} as const;

export type AwsServiceName = keyof typeof CLIENTS;
export type AwsClientOf<S extends AwsServiceName> = InstanceType<(typeof CLIENTS)[S]>;

/**
 * Hands collectors and remediations an SDK client for (service, region, account). Collectors take it from
 * `ctx.services.awsClients`, so tests point the real SDK at a local fake and nothing is created at import time.
 */
export type AwsClientFactory = <S extends AwsServiceName>(service: S, region: string, account: AwsAccountRef) => AwsClientOf<S>;

export interface AwsClientFactoryOptions {
  /** Overrides every service endpoint (a local fake in tests); absent in production. */
  readonly endpoint?: string;
  /** Base credentials; absent means the SDK's default chain (env, profile, instance role). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Region of the STS endpoint used for AssumeRole. */
  readonly stsRegion?: string;
  readonly maxAttempts?: number;
  readonly roleSessionName?: string;
  /** Requests per second a client may always send under adaptive retries (default 5), however often it was throttled. */
  readonly minSendRate?: number;
  /**
   * Called once on every client made (AssumeRole's STS client included), before first use. Tests and the benchmark
   * add a middleware here that answers below the SDK's retry layer, so adaptive retries run for real.
   */
  readonly customize?: (client: { middlewareStack: unknown }, service: AwsServiceName) => void;
}

/** Refresh assumed-role credentials this long before they expire, so no call is signed with a dying session. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function createAwsClientFactory(options: AwsClientFactoryOptions = {}): AwsClientFactory {
  const clients = new Map<string, unknown>();
  const sessions = new Map<string, AwsCredentialIdentityProvider>();
  const maxAttempts = options.maxAttempts ?? 5;
  const common = {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Adaptive retries back off on throttling across all calls of a client, which matters at 17 regions x N accounts.
    retryMode: 'adaptive',
    maxAttempts,
  };
  // Adaptive mode with a floor: the SDK's default limiter drops a client to 0.5 requests/s after a single throttle,
  // so one unlucky 429 on a region's KMS client stalls its remaining calls for tens of seconds. A floor of a few
  // requests/s still backs off under sustained throttling (the CUBIC rate is never raised above what AWS accepts).
  const retryStrategy = () => new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: new DefaultRateLimiter({ minFillRate: options.minSendRate ?? 5, minCapacity: options.minSendRate ?? 5 }) });

  const assumedCredentials = (account: AwsAccountRef): AwsCredentialIdentityProvider | undefined => {
    if (!account.roleArn) return undefined;
    const cached = sessions.get(account.roleArn);
    if (cached) return cached;
    const sts = new STSClient({ ...common, retryStrategy: retryStrategy(), region: options.stsRegion ?? 'us-east-1' });
    options.customize?.(sts, 'sts');
    let current: Promise<AwsCredentialIdentity> | undefined;
    let expiresAt = 0;
    const provider: AwsCredentialIdentityProvider = () => {
      if (!current || Date.now() > expiresAt - REFRESH_MARGIN_MS) {
        current = sts
          .send(new AssumeRoleCommand({ RoleArn: account.roleArn, RoleSessionName: options.roleSessionName ?? 'vigil-killswitch', DurationSeconds: 3600 }))
          .then((out) => {
            const creds = out.Credentials;
            if (!creds?.AccessKeyId || !creds.SecretAccessKey) throw new Error(`AssumeRole ${account.roleArn} returned no credentials`);
            expiresAt = creds.Expiration ? creds.Expiration.getTime() : Date.now() + 3_600_000;
            return { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken, expiration: creds.Expiration };
          });
        // A failed AssumeRole must be retried on the next call, not cached.
        current.catch(() => {
          current = undefined;
        });
      }
      return current;
    };
    sessions.set(account.roleArn, provider);
    return provider;
  };

  return <S extends AwsServiceName>(service: S, region: string, account: AwsAccountRef): AwsClientOf<S> => {
    const key = `${service}\0${region}\0${account.id}\0${account.roleArn ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      const credentials = assumedCredentials(account);
      const Client = CLIENTS[service] as unknown as new (config: object) => AwsClientOf<S>;
      // Path-style S3 keeps every bucket call on the regional endpoint a local fake (or a VPC endpoint) can answer.
      const extra = service === 's3' && options.endpoint ? { forcePathStyle: true } : {};
      client = new Client({ ...common, ...extra, retryStrategy: retryStrategy(), region, ...(credentials ? { credentials } : {}) });
      options.customize?.(client as { middlewareStack: unknown }, service);
      clients.set(key, client);
    }
    return client as AwsClientOf<S>;
  };
}

let fallback: AwsClientFactory | undefined;

/** The injected factory, or one on the default credential chain made on first use (never at import time). */
export function awsClientsFrom(services: Readonly<Record<string, unknown>>): AwsClientFactory {
  const injected = services.awsClients as AwsClientFactory | undefined;
  if (injected) return injected;
  fallback ??= createAwsClientFactory();
  return fallback;
}
