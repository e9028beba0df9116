import { randomUUID } from 'node:crypto';
import { parse as parseYamlScalar } from 'yaml';
import { InvalidConfigError, UnknownCheckError } from '../../check-api/errors.js';
import { SEVERITIES, severityRank, type AnyCheck, type Severity } from '../../check-api/types.js';
import { findingFieldsOf } from '../../store/finding-row.js';
import { renderFindings, type OutputFormat } from '../../output/index.js';
import { fromFindingRow, type FindingView } from '../../output/finding-view.js';
import type { RunRequest, RunResult } from '../../runs/run-result.js';
import { recordRun } from '../../store/record-run.js';
import { listFindings } from '../../store/queries/findings.js';
import { readCursors } from '../../store/queries/runs.js';
import { CollectionMemo } from '../../../jobs/collection-memo.js';
import { executeRun } from '../../../jobs/runner.js';
import { mapLimit } from '../../check-api/map-limit.js';
import { sharedIdentityOf } from '../../check-api/shared-collector.js';
import { registry } from '../../../checks/registry.js';
import { cliLogger, loadCliConfig, openCliStore, runServices, type GlobalOptions } from '../context.js';
import { VIGIL_VERSION } from '../version.js';

export interface RunCommandOptions extends GlobalOptions {
  readonly target?: string[];
  readonly set?: string[];
  readonly format: OutputFormat;
  readonly failOn: Severity | 'none';
  readonly store: boolean;
  readonly timeout?: string;
  /** Re-evaluate a saved AWS inventory instead of calling AWS (`aws.*` checks). */
  readonly inventory?: string;
  /** Save what the AWS collectors read in this invocation. */
  readonly saveInventory?: string;
}

interface PlannedRun {
  readonly check: AnyCheck;
  readonly request: RunRequest;
  readonly adHoc: boolean;
}

/**
 * `audit run <check|area>`: runs now, prints the findings of this run, and returns the exit code a CI gate needs:
 * 1 when a finding at or above --fail-on is active (not a false positive, not accepted), else 2 when any run could
 * not finish or could not look everywhere, else 0.
 */
export async function runCommand(selector: string, options: RunCommandOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const log = cliLogger(options, loaded);
  const checks = registry.select(selector);
  if (checks.length === 0) throw new UnknownCheckError(`unknown check or area '${selector}' (see \`audit checks\`)`);
  const overrides = parseSetOptions(options.set ?? []);
  const timeoutMs = options.timeout ? parseTimeout(options.timeout) : loaded.config.defaults.timeout;
  const aws = checks.some((check) => check.area === 'aws') ? await awsInventorySession(options) : undefined;
  const services = { ...runServices(loaded, options), ...(aws ? { awsInventory: aws.session } : {}) };

  const planned: PlannedRun[] = [];
  for (const check of checks) {
    if (options.target?.length) {
      if (!check.cliTarget) throw new InvalidConfigError(`${check.id} takes its targets from config, not --target`);
      for (const target of options.target) {
        const raw = { ...check.cliTarget(target), ...overrides };
        const parsed = check.options.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new InvalidConfigError(`--target ${target}: ${issue.path.join('.') || 'target'}: ${issue.message}`);
        }
        await check.preflight?.(parsed.data, services);
        planned.push({ check, adHoc: true, request: request(check.id, `cli:${target}`, raw, timeoutMs) });
      }
      continue;
    }
    for (const job of loaded.jobs.filter((j) => j.checkId === check.id && j.enabled)) {
      planned.push({ check, adHoc: false, request: request(check.id, job.target, { ...(job.options as object), ...overrides }, options.timeout ? timeoutMs : job.timeoutMs) });
    }
  }
  if (planned.length === 0 && aws?.replayOptions) {
    // Offline re-evaluation needs no config: the file carries the options it was collected with.
    for (const check of checks) planned.push({ check, adHoc: true, request: request(check.id, `inventory:${options.inventory}`, { ...aws.replayOptions, ...overrides }, timeoutMs) });
  }
  if (planned.length === 0) {
    throw new InvalidConfigError(
      `nothing to run for '${selector}': give --target, or configure a job for it in ${loaded.file ?? 'a config file (--config)'}`,
    );
  }

  const db = options.store ? openCliStore(options, loaded) : undefined;
  try {
    const views: FindingView[] = [];
    const outcomes: { checkId: string; outcome: string; findings: number }[] = [];
    let incomplete = false;
    // One invocation is one group: `audit run aws` reads each account once for all of its controls.
    const collectionMemo = new CollectionMemo();
    const execute = (req: RunRequest) =>
      executeRun(req, {
        checks: registry,
        log,
        services,
        collectionMemo,
        ...(db ? { readCursors: (checkId: string, targetId: string) => readCursors(db, checkId, targetId) } : {}),
      });
    // Runs that read only shared inventories (the 55 aws.* controls) overlap, as daemon ticks do: their collectors start
    // together instead of one after another, and evaluation is pure. Anything else runs one at a time, as before.
    // Results are reported and recorded in plan order either way.
    const overlap = planned.length > 1 && planned.every(({ check }) => Object.values(check.needs).every((need) => sharedIdentityOf(need) !== undefined));
    const settled = overlap ? mapLimit(planned, OVERLAPPING_RUNS, ({ request: req }) => execute(req)) : undefined;
    for (const [index, { request: req }] of planned.entries()) {
      const result = settled ? (await settled)[index]! : await execute(req);
      reportRun(result);
      outcomes.push({ checkId: result.checkId, outcome: result.outcome, findings: result.findings.length });
      if (result.outcome !== 'ok') incomplete = true;
      if (db) {
        const summary = recordRun(db, result);
        views.push(...listFindings(db, { fingerprints: summary.fingerprints }).map(fromFindingRow));
      } else {
        views.push(...result.findings.map((finding) => unstoredView(result, finding)));
      }
    }
    if (aws?.save) process.stderr.write(`saved ${aws.save(options.saveInventory!)} AWS collection(s) to ${options.saveInventory}\n`);
    // `audit run aws`: the per-control CIS result (pass/fail/unknown/manual), on stderr and in the JSON report.
    const summaries = aws ? await import('../../../checks/cloud/aws/cis-summary.js') : undefined;
    const cis = summaries?.cisSummary(outcomes);
    if (cis && options.format === 'table') process.stderr.write(summaries!.renderCisSummary(cis));
    process.stdout.write(renderFindings(options.format, views, registry.all, { color: Boolean(process.stdout.isTTY), toolVersion: VIGIL_VERSION, ...(process.stdout.columns ? { maxWidth: process.stdout.columns } : {}), ...(cis ? { compliance: { cisAws: JSON.parse(JSON.stringify(cis)) } } : {}) }));
    return exitCode(views, options.failOn, incomplete);
  } finally {
    db?.close();
  }
}

export function exitCode(views: readonly FindingView[], failOn: Severity | 'none', incomplete: boolean): number {
  if (failOn !== 'none') {
    // A false positive or an accepted risk must not fail a pipeline; a muted finding is still a finding.
    const gating = views.filter(
      (view) => severityRank(view.severity) >= severityRank(failOn) && view.decision !== 'false_positive' && view.decision !== 'accepted',
    );
    if (gating.length > 0) return 1;
  }
  return incomplete ? 2 : 0;
}

function request(checkId: string, targetId: string, options: unknown, timeoutMs: number): RunRequest {
  return { runId: `run-${randomUUID()}`, checkId, targetId, trigger: 'cli', options, timeoutMs };
}

function reportRun(result: RunResult): void {
  const where = `${result.checkId} [${result.targetId}]`;
  const seconds = ((result.finishedAt - result.startedAt) / 1000).toFixed(2);
  process.stderr.write(`${where}: ${result.outcome} in ${seconds}s, ${result.findings.length} finding(s)${result.error ? `: ${result.error}` : ''}\n`);
  for (const failure of result.coverage.failed) process.stderr.write(`  not covered: ${failure.scope}: ${failure.error.message}\n`);
}

function unstoredView(result: RunResult, finding: RunResult['findings'][number]): FindingView {
  return {
    ...findingFieldsOf(result.checkId, result.targetId, finding),
    status: 'unstored',
    decision: null,
    remediation: finding.remediation ?? registry.get(result.checkId)?.remediation ?? null,
  };
}

/** `--set ports=1-65535 --set concurrency=800`: values are read as YAML scalars, so numbers and lists work. */
function parseSetOptions(values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of values) {
    const index = item.indexOf('=');
    if (index <= 0) throw new InvalidConfigError(`--set expects key=value, got '${item}'`);
    out[item.slice(0, index)] = parseYamlScalar(item.slice(index + 1));
  }
  return out;
}

function parseTimeout(value: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(value);
  if (!match) throw new InvalidConfigError(`--timeout '${value}' must look like 90s, 15m or 1h`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

/** Runs of shared-inventory checks in flight at once: the daemon's default `maxConcurrentRuns`. */
const OVERLAPPING_RUNS = 4;

export const FAIL_ON_CHOICES = [...SEVERITIES, 'none'] as const;

/** The AWS inventory seam of this invocation: replay a saved file (`--inventory`) or record one (`--save-inventory`). */
async function awsInventorySession(
  options: RunCommandOptions,
): Promise<{ session: object; replayOptions?: Record<string, unknown>; save?: (file: string) => number }> {
  const files = await import('../../../checks/cloud/aws/collect/inventory-file.js');
  if (options.inventory) {
    if (options.saveInventory) throw new InvalidConfigError('--inventory and --save-inventory cannot be combined');
    const inventory = files.loadAwsInventory(options.inventory);
    return { session: files.replaySession(options.inventory, inventory), replayOptions: inventory.options };
  }
  if (!options.saveInventory) return { session: {} };
  const recorder = files.recordingSession(undefined);
  return { session: recorder, save: (file: string) => recorder.save(file) };
}
