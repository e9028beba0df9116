import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { InvalidConfigError } from '../../check-api/errors.js';
import { registry } from '../../../checks/registry.js';
import { canCaptureBaseline, captureBaselineForJob } from '../../../checks/killswitch/capture-baseline.js';
import { cliLogger, loadCliConfig, runServices, type GlobalOptions } from '../context.js';

export interface KillswitchBaselineOptions extends GlobalOptions {
  readonly out?: string;
}

/**
 * `audit killswitch baseline <job>`: reads the job's accounts and regions as they are now and prints a `baseline:`
 * block for an admin to review and paste into the job (or writes it with --out). Nothing is changed in the cloud.
 */
export async function killswitchBaselineCommand(jobName: string, options: KillswitchBaselineOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  const job = loaded.jobs.find((j) => j.name === jobName);
  if (!job) throw new InvalidConfigError(`no job named '${jobName}' in ${loaded.file ?? 'the config'} (give --config)`);
  const check = registry.get(job.checkId);
  if (!check || !canCaptureBaseline(check.id)) throw new InvalidConfigError(`job '${jobName}' runs ${job.checkId}, which has no baseline to capture (killswitch.* only)`);
  const baseline = await captureBaselineForJob(check, job.options as Record<string, unknown>, runServices(loaded), cliLogger(options, loaded));
  const text = `# ${check.id} baseline captured ${new Date().toISOString()} for job ${jobName}; review, then set it as the job's options.baseline\n${stringify({ baseline })}`;
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
  return 0;
}
