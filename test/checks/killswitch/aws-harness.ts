import { silentLogger } from '../../../src/log.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import type { RunResult } from '../../../src/runs/run-result.js';
import { executeRun } from '../../../jobs/runner.js';
import { createAwsClientFactory, type AwsClientFactory } from '../../../checks/cloud/aws/collect/clients.js';
import { AwsFake } from '../../fakes/aws/server.js';

export const MANAGEMENT = '111111111111';
export const MEMBER = '222222222222';
export const BUCKET = 'org-trail-logs';
export const CONFIG_ROLE = `arn:aws:iam::${MANAGEMENT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
export const STANDARDS = ['arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0', 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0'];

/** A fake with two accounts (management + member), both fully protected, and a factory of real SDK clients for it. */
export async function protectedOrg(options: { latencyMs?: number; pageSize?: number; regions?: readonly string[] } = {}): Promise<{ fake: AwsFake; clients: AwsClientFactory }> {
  const fake = await new AwsFake({ pageSize: options.pageSize ?? 1, latencyMs: options.latencyMs ?? 0 }).start();
  for (const id of [MANAGEMENT, MEMBER]) {
    fake.world.addAccount(id, options.regions ? { regions: options.regions } : {});
    fake.world.protect(id, { bucket: BUCKET, roleArn: CONFIG_ROLE.replace(MANAGEMENT, id), trailName: 'org-trail', standards: STANDARDS });
  }
  // The SDK retries 5xx and throttling; against a fake a failure is a bug, so fail fast.
  const clients = createAwsClientFactory({ endpoint: fake.endpoint, credentials: AwsFake.credentials(MANAGEMENT), maxAttempts: 2 });
  return { fake, clients };
}

export const ACCOUNTS = [
  { id: MANAGEMENT, roleArn: `arn:aws:iam::${MANAGEMENT}:role/vigil-killswitch` },
  { id: MEMBER, roleArn: `arn:aws:iam::${MEMBER}:role/vigil-killswitch` },
];

let counter = 0;

export function runCheck(check: AnyCheck, clients: AwsClientFactory, options: Record<string, unknown>): Promise<RunResult> {
  counter += 1;
  return executeRun(
    { runId: `ks-${process.pid}-${counter}`, checkId: check.id, targetId: 'org', trigger: 'cli', options: { accounts: ACCOUNTS, ...options }, timeoutMs: 20_000 },
    { checks: { get: () => check }, log: silentLogger, services: { awsClients: clients } },
  );
}

