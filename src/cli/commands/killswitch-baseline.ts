import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parse, stringify } from 'yaml';
import { InvalidConfigError } from '../../check-api/errors.js';
import type { JsonValue } from '../../check-api/types.js';
import { approveBaseline, baselineHistory, baselineVersion } from '../../store/killswitch-baselines.js';
import { registry } from '../../../checks/registry.js';
import { BASELINE_SCHEMAS, type BaselineKind } from '../../../checks/killswitch/baselines.js';
import { baselineKindOf, captureBaselineForJob } from '../../../checks/killswitch/capture-baseline.js';
import { cliLogger, loadCliConfig, openCliStore, runServices, type GlobalOptions } from '../context.js';

export interface KillswitchBaselineOptions extends GlobalOptions {
  readonly out?: string;
  readonly approve?: boolean;
  readonly from?: string;
  readonly by?: string;
  readonly reason?: string;
  readonly history?: boolean;
  readonly revert?: string;
}

type Baseline = { [key: string]: JsonValue };

/**
 * `audit killswitch baseline <job>`: reads the job's accounts and regions (or GCP parents) as they are now and prints a
 * `baseline:` block to review. `--approve` stores it (or a reviewed `--from` file) in the ledger as the next version
 * of the job's baseline, which every later run restores from; `--history` lists the versions and `--revert N` approves
 * an old one again. A family job (`check: killswitch`) covers every baseline kind its checks use. Nothing is changed
 * in the cloud.
 */
export async function killswitchBaselineCommand(jobName: string, options: KillswitchBaselineOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const jobs = loaded.jobs.filter((j) => j.name === jobName || j.target === jobName);
  if (jobs.length === 0) throw new InvalidConfigError(`no job named '${jobName}' in ${loaded.file ?? 'the config'} (give --config)`);
  // One job per baseline kind: both GuardDuty checks share the 'guardduty' baseline.
  const byKind = new Map<BaselineKind, (typeof jobs)[number]>();
  for (const job of jobs) {
    const kind = baselineKindOf(job.checkId);
    if (kind && !byKind.has(kind)) byKind.set(kind, job);
  }
  if (byKind.size === 0) throw new InvalidConfigError(`job '${jobName}' runs ${jobs.map((j) => j.checkId).join(', ')}, which has no baseline to capture (killswitch.* only)`);
  const approving = options.approve || options.from !== undefined || options.revert !== undefined;
  if (options.from !== undefined && byKind.size > 1) throw new InvalidConfigError(`--from takes one baseline, but job '${jobName}' has ${byKind.size} kinds (${[...byKind.keys()].join(', ')}); give the job of one check`);
  const revert = options.revert === undefined ? undefined : Number(options.revert);
  if (revert !== undefined && !(Number.isInteger(revert) && revert >= 1)) throw new InvalidConfigError(`--revert must be a version number (1, 2, ...), got '${options.revert}'`);

  const target = jobs[0]!.target;
  if (options.history) {
    const db = openCliStore(options, loaded, { readonly: true });
    try {
      const lines: string[] = [];
      for (const kind of byKind.keys()) {
        // A ledger opened read-only is not migrated: one from before migration 008 simply has no versions yet.
        const migrated = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'killswitch_baselines'`).get() !== undefined;
        const versions = migrated ? baselineHistory(db, kind, target) : [];
        lines.push(`${kind} baseline of ${target}: ${versions.length ? `${versions.length} version(s)` : 'none approved'}`);
        for (const v of versions) lines.push(`  v${v.version}  ${new Date(v.approvedAt).toISOString()}  ${v.approvedBy}  ${v.source}  ${v.digest.slice(0, 12)}${v.reason ? `  ${v.reason}` : ''}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      db.close();
    }
    return 0;
  }

  const log = cliLogger(options, loaded);
  const services = runServices(loaded, options);
  const baselines = new Map<BaselineKind, { baseline: Baseline; source: 'capture' | 'file' | 'revert' }>();
  for (const [kind, job] of byKind) {
    if (options.from !== undefined) {
      baselines.set(kind, { baseline: readBaselineFile(options.from, kind), source: 'file' });
      continue;
    }
    if (revert !== undefined) continue;
    const check = registry.get(job.checkId)!;
    baselines.set(kind, { baseline: await captureBaselineForJob(check, job.options as Record<string, unknown>, services, log, target), source: 'capture' });
  }

  if (!approving) {
    const text = [...baselines].map(([kind, { baseline }]) => `# ${kind} baseline captured ${new Date().toISOString()} for job ${target}; review, then approve it (--approve) or set it as options.baseline\n${stringify({ baseline })}`).join('---\n');
    if (options.out) writeFileSync(options.out, text);
    else process.stdout.write(text);
    return 0;
  }

  const db = openCliStore(options, loaded);
  try {
    const approvedBy = options.by ?? safeUser();
    for (const [kind, job] of byKind) {
      let entry = baselines.get(kind);
      if (revert !== undefined) {
        const old = baselineVersion(db, kind, target, revert);
        if (!old) throw new InvalidConfigError(`${kind} baseline of '${target}' has no version ${revert} (see --history)`);
        entry = { baseline: old.baseline, source: 'revert' };
      }
      const stored = approveBaseline(db, { kind, targetId: target, baseline: entry!.baseline, source: entry!.source, approvedBy, reason: options.reason ?? (revert !== undefined ? `revert to v${revert}` : '') });
      process.stdout.write(stored.unchanged ? `${kind} baseline of ${target}: unchanged, v${stored.version} stays active\n` : `${kind} baseline of ${target}: approved v${stored.version} (${stored.source}, by ${stored.approvedBy})\n`);
      if ((job.options as { baseline?: unknown }).baseline !== undefined) {
        process.stderr.write(`warning: job '${job.name}' sets options.baseline in the config, which wins over the ledger; remove it to use v${stored.version}\n`);
      }
    }
  } finally {
    db.close();
  }
  return 0;
}

/** A reviewed file: `baseline: {...}` (as printed by this command) or the bare baseline, checked against the kind's schema. */
function readBaselineFile(file: string, kind: BaselineKind): Baseline {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidConfigError(`--from ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const body = raw && typeof raw === 'object' && 'baseline' in raw ? (raw as { baseline: unknown }).baseline : raw;
  const parsed = BASELINE_SCHEMAS[kind].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidConfigError(`--from ${file}: baseline.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return JSON.parse(JSON.stringify(parsed.data)) as Baseline;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
