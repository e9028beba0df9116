import { InvalidConfigError } from '../../check-api/errors.js';
import type { CheckContext } from '../../check-api/types.js';
import { clusterObjects, nodeFiles } from '../../../checks/k8s/collect/index.js';
import { K8S_CONTROLS } from '../../../checks/k8s/index.js';
import { k8sOptionsSchema, type K8sOptions } from '../../../checks/k8s/options.js';
import { scorecard, type ScoreRow } from '../../../checks/k8s/scorecard.js';
import { cliLogger, loadCliConfig, runServices, type GlobalOptions } from '../context.js';

/**
 * `audit k8s score <job>`: collects the job's cluster (and node) once and prints every k8s.* control with its score,
 * passes and not-applicable reasons included, which findings alone cannot show. Records nothing in the ledger.
 * Exit 2 when the collection was partial (the scores then describe what could be read).
 */
export async function k8sScoreCommand(jobName: string, options: GlobalOptions & { format?: string }): Promise<number> {
  const loaded = loadCliConfig(options);
  const job = loaded.jobs.find((j) => j.target === jobName && j.checkId.startsWith('k8s.'));
  if (!job) throw new InvalidConfigError(`no k8s job named '${jobName}' in ${loaded.file ?? 'the config (give --config)'}`);
  const parsed = k8sOptionsSchema.safeParse(job.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidConfigError(`job ${jobName}: options.${issue.path.join('.')}: ${issue.message}`);
  }
  const ctx: CheckContext<K8sOptions> = {
    checkId: 'k8s.score',
    target: { id: jobName },
    options: parsed.data,
    log: cliLogger(options, loaded),
    signal: AbortSignal.timeout(job.timeoutMs),
    progress: () => {},
    cursor: { get: () => undefined, set: () => {} },
    clock: { now: () => Date.now() },
    services: runServices(loaded, options),
  };
  const [cluster, node] = await Promise.all([clusterObjects(ctx), nodeFiles(ctx)]);
  const failed = [...cluster.coverage.failed, ...node.coverage.failed];
  for (const failure of failed) process.stderr.write(`not covered: ${failure.scope}: ${failure.error.message}\n`);
  const card = scorecard(K8S_CONTROLS, { cluster: cluster.data, node: node.data }, parsed.data);
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
  else process.stdout.write(renderScorecard(card.rows, card.summary));
  return failed.length > 0 ? 2 : 0;
}

function renderScorecard(rows: readonly ScoreRow[], summary: { pass: number; fail: number; notApplicable: number; manual: number }): string {
  const cells = rows.map((row) => [
    row.status === 'not-applicable' ? 'N/A' : row.status.toUpperCase(),
    row.cis['1.12'] ?? (row.cis['1.10'] ? `(1.10 ${row.cis['1.10']})` : '-'),
    row.id,
    row.total !== undefined ? `${row.failed}/${row.total} ${row.unit}` : (row.reason ?? ''),
  ]);
  const widths = [6, 12, Math.max(...cells.map((c) => c[2]!.length))];
  const lines = [['RESULT', 'CIS 1.12', 'CONTROL', 'FAILED/TOTAL OR REASON'], ...cells].map((c) => `${c[0]!.padEnd(widths[0]!)} ${c[1]!.padEnd(widths[1]!)} ${c[2]!.padEnd(widths[2]!)} ${c[3]}`.trimEnd());
  lines.push('', `${summary.pass} pass, ${summary.fail} fail, ${summary.notApplicable} not applicable, ${summary.manual} manual (not scored)`);
  return `${lines.join('\n')}\n`;
}
