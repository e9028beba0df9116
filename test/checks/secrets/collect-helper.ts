import { collectGitHistory, type HistoryInventory } from '../../../checks/secrets/collect/git-history.js';
import { historyOptions } from '../../../checks/secrets/options.js';
import { secretFindings } from '../../../checks/secrets/secret-findings.js';
import type { CheckContext, Collected, FindingInput } from '../../../src/check-api/types.js';
import { silentLogger } from '../../../src/log.js';

/** Runs the collector and the evaluator directly, with a cursor kept in a Map the caller may carry between runs. */
export async function collect(raw: Record<string, unknown>, cursor = new Map<string, string>()): Promise<{ collected: Collected<HistoryInventory>; findings: FindingInput[] }> {
  const options = historyOptions.parse(raw);
  const ctx: CheckContext<typeof options> = {
    checkId: 'secrets.history',
    target: { id: 'test' },
    options,
    log: silentLogger,
    signal: new AbortController().signal,
    progress: () => {},
    cursor: { get: (key) => cursor.get(key), set: (key, value) => void cursor.set(key, value) },
    clock: { now: () => Date.now() },
    services: {},
  };
  const collected = await collectGitHistory(ctx);
  return { collected, findings: secretFindings(collected.data.repos, options) };
}

