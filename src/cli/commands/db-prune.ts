import { InvalidConfigError } from '../../check-api/errors.js';
import { rebuildFindingsText } from '../../store/migrations/011-findings-list.js';
import { pruneStore } from '../../store/prune.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

export function dbPruneCommand(options: GlobalOptions & { keepDays: string }): number {
  const keepDays = Number(options.keepDays);
  if (!Number.isInteger(keepDays) || keepDays < 1) throw new InvalidConfigError('--keep-days must be a whole number of days, at least 1');
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const summary = pruneStore(db, keepDays);
    db.exec('VACUUM');
    // VACUUM may renumber the rowids the findings text index is keyed by.
    rebuildFindingsText(db);
    process.stdout.write(`pruned ${summary.runs} run(s), ${summary.findings} resolved finding(s), ${summary.outbox} delivered outbox row(s) older than ${keepDays} day(s)\n`);
    return 0;
  } finally {
    db.close();
  }
}
