import { CollectionMemo } from '../../../../../jobs/collection-memo.js';
import { executeRun } from '../../../../../jobs/runner.js';
import { registry } from '../../../../../checks/registry.js';
import { createAwsClientFactory } from '../../../../../checks/cloud/aws/collect/clients.js';
import type { RunResult } from '../../../../../src/runs/run-result.js';
import { silentLogger } from '../../../../../src/log.js';
import { SdkFake } from '../../../../fakes/aws-sdk/sdk-fake.js';

export const MGMT = '111111111111';
export const MEMBER = '222222222222';

export function factoryFor(fake: SdkFake, account = MGMT) {
  return createAwsClientFactory({ credentials: { accessKeyId: `AKIAFAKE${account}`, secretAccessKey: 'fake-secret' }, customize: fake.customize, maxAttempts: 5 });
}

let counter = 0;

/** One run group, as `audit run aws` makes it: every aws.* check, one memo, the real runner. */
export async function runAwsGroup(fake: SdkFake, options: Record<string, unknown>, services: Record<string, unknown> = {}, selector = 'aws'): Promise<RunResult[]> {
  const memo = new CollectionMemo();
  const awsClients = factoryFor(fake);
  const results: RunResult[] = [];
  for (const check of registry.select(selector)) {
    counter += 1;
    results.push(
      await executeRun(
        { runId: `aws-${process.pid}-${counter}`, checkId: check.id, targetId: 'org', trigger: 'cli', options, timeoutMs: 60_000 },
        { checks: registry, log: silentLogger, services: { awsClients, ...services }, collectionMemo: memo },
      ),
    );
  }
  return results;
}

export const byCheck = (results: readonly RunResult[], id: string) => results.find((r) => r.checkId === id)!;
