import Table from 'cli-table3';
import { InvalidConfigError } from '../../check-api/errors.js';
import { RUN_OUTCOMES, type RunOutcome } from '../../check-api/types.js';
import { listRuns } from '../../store/queries/runs.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

export interface RunsCommandOptions extends GlobalOptions {
  readonly check?: string;
  readonly outcome?: string;
  readonly limit: string;
  readonly format: 'table' | 'json';
}

export function runsCommand(options: RunsCommandOptions): number {
  const loaded = loadCliConfig(options);
  if (options.outcome && !(RUN_OUTCOMES as readonly string[]).includes(options.outcome)) {
    throw new InvalidConfigError(`--outcome must be one of ${RUN_OUTCOMES.join(', ')}`);
  }
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new InvalidConfigError('--limit must be a positive integer');
  const db = openCliStore(options, loaded, { readonly: true });
  try {
    const runs = listRuns(db, {
      limit,
      ...(options.check ? { check: options.check } : {}),
      ...(options.outcome ? { outcome: options.outcome as RunOutcome } : {}),
    });
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs recorded yet.\n');
      return 0;
    }
    const table = new Table({ head: ['STARTED', 'CHECK', 'TARGET', 'TRIGGER', 'OUTCOME', 'DURATION', 'SEEN', 'NEW', 'RESOLVED', 'NOTE'], style: { head: [], border: [] } });
    for (const run of runs) {
      const note = run.error ?? (run.skipReason ? `skipped: ${run.skipReason}${run.skipCount > 1 ? ` ×${run.skipCount}` : ''}` : run.coverage.failed.map((f) => f.scope).join(', '));
      table.push([
        new Date(run.startedAt).toISOString().replace('.000Z', 'Z'),
        run.checkId,
        run.targetId,
        run.trigger,
        run.outcome,
        `${((run.finishedAt - run.startedAt) / 1000).toFixed(1)}s`,
        run.findingsSeen,
        run.findingsNew,
        run.findingsResolved,
        note.length > 60 ? `${note.slice(0, 59)}…` : note,
      ]);
    }
    process.stdout.write(`${table.toString()}\n`);
    return 0;
  } finally {
    db.close();
  }
}
