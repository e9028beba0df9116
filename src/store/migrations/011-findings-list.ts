import type { Migration } from './index.js';
import { SEVERITY_RANK_SQL } from './004-tui.js';

/** The columns every findings-list filter reads besides text; a list index that carries them never visits the table. */
const FILTER_COLUMNS = 'status, decision, decision_until';

/**
 * What keeps the TUI's findings list fast at 100k rows (bench/tui.js):
 * - `findings_text`: a trigram FTS5 index over title, resource and check id, so a text filter of three or more
 *   characters is a phrase lookup (an exact, case-insensitive substring match) instead of a LIKE over every row (400 ms
 *   at 100k). It is an external-content index kept in step by triggers and keyed by the implicit rowid, so anything
 *   that renumbers rowids (VACUUM) must rebuild it (`rebuildFindingsText`). `detail=full` (positions) is what makes
 *   phrase queries exact; it costs about 20 MB per 100k findings.
 * - list indexes, one per sort order, that also carry the filter columns: walking one in sort order evaluates the
 *   filters from the index alone and reads the table only for the rows a window shows. They replace the 004 ones,
 *   which forced a table read per skipped row.
 * - `findings_decided`: the few findings with a decision, for `status:muted` and the like.
 */
export const m011FindingsList: Migration = {
  version: 11,
  name: 'findings-list',
  sql: `
CREATE VIRTUAL TABLE findings_text USING fts5(title, resource_id, check_id, content='findings', content_rowid='rowid', tokenize='trigram', detail='full');
INSERT INTO findings_text(findings_text) VALUES ('rebuild');
CREATE TRIGGER findings_text_insert AFTER INSERT ON findings BEGIN
  INSERT INTO findings_text(rowid, title, resource_id, check_id) VALUES (new.rowid, new.title, new.resource_id, new.check_id);
END;
CREATE TRIGGER findings_text_delete AFTER DELETE ON findings BEGIN
  INSERT INTO findings_text(findings_text, rowid, title, resource_id, check_id) VALUES ('delete', old.rowid, old.title, old.resource_id, old.check_id);
END;
-- Every run rewrites title on upsert; only a real change is worth re-indexing.
CREATE TRIGGER findings_text_update AFTER UPDATE OF title, resource_id, check_id ON findings
WHEN old.title IS NOT new.title OR old.resource_id IS NOT new.resource_id OR old.check_id IS NOT new.check_id BEGIN
  INSERT INTO findings_text(findings_text, rowid, title, resource_id, check_id) VALUES ('delete', old.rowid, old.title, old.resource_id, old.check_id);
  INSERT INTO findings_text(rowid, title, resource_id, check_id) VALUES (new.rowid, new.title, new.resource_id, new.check_id);
END;

DROP INDEX IF EXISTS findings_tui_severity;
DROP INDEX IF EXISTS findings_tui_age;
DROP INDEX IF EXISTS findings_tui_check;
CREATE INDEX findings_list_severity ON findings(${SEVERITY_RANK_SQL} DESC, first_seen, check_id, ${FILTER_COLUMNS});
CREATE INDEX findings_list_age ON findings(first_seen, ${SEVERITY_RANK_SQL} DESC, check_id, ${FILTER_COLUMNS});
CREATE INDEX findings_list_check ON findings(check_id, ${SEVERITY_RANK_SQL} DESC, first_seen, ${FILTER_COLUMNS});
CREATE INDEX findings_decided ON findings(decision, decision_until) WHERE decision IS NOT NULL;
`,
};

/** Re-derives the text index from the findings table: after VACUUM, which may renumber the rowids it is keyed by. */
export function rebuildFindingsText(db: { exec(sql: string): unknown; prepare(sql: string): { get(): unknown } }): void {
  if (db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'findings_text'`).get()) db.exec(`INSERT INTO findings_text(findings_text) VALUES ('rebuild')`);
}
