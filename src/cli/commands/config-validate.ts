import { ConfigValidationError } from '../../config/load.js';
import { loadCliConfig, type GlobalOptions } from '../context.js';

/** Prints every problem (one per line), not just the first, so a config can be fixed in one pass. */
export function configValidateCommand(file: string | undefined, options: GlobalOptions): number {
  try {
    const loaded = loadCliConfig(options, file);
    const scheduled = loaded.jobs.filter((job) => job.schedule && job.enabled).length;
    process.stdout.write(`${loaded.file ?? 'built-in defaults'}: valid (${loaded.jobs.length} job(s), ${scheduled} scheduled)\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      for (const problem of error.problems) process.stderr.write(`audit: error: ${ConfigValidationError.describe(error.file, problem)}\n`);
      return 2;
    }
    throw error;
  }
}
