import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';
import type { Db } from '../../../src/store/db.js';
import type { AdvisoryFeed } from '../options.js';
import { parseOsvRecord, type OsvRecord } from '../osv/schema.js';
import { readZipJson } from './osv-zip.js';
import { feedWatermark, setFeedWatermark, upsertAdvisories, withdrawMissing } from '../store/advisory-store.js';

export interface FeedSyncResult {
  readonly feed: string;
  readonly added: number;
  readonly updated: number;
  readonly withdrawn: number;
  readonly matched: number;
  /** Records that could not be read; each names its file and reason. They are skipped, never half-imported. */
  readonly badRecords: readonly { readonly file: string; readonly reason: string }[];
}

const BATCH = 500;

/** Syncs one advisory feed into the mirror: only records newer than the feed's watermark are read and re-matched. */
export async function syncFeed(db: Db, feed: AdvisoryFeed, now: () => number, signal: AbortSignal): Promise<FeedSyncResult> {
  if (feed.kind === 'osv-dir') return syncDirectory(db, feed.name, feed.path, now, signal);
  if (feed.kind === 'osv-zip') return syncZip(db, feed.name, feed.path, now, signal);
  if (feed.kind === 'osv-api') {
    const { syncOsvApi } = await import('./osv-api.js');
    return syncOsvApi(db, feed, now, signal);
  }
  return syncHttp(db, feed, now, signal);
}

/**
 * An OSV export zip. The zip's size and mtime are the watermark: an unchanged file is not opened; a changed one is
 * read whole, but only records whose `modified` changed are rewritten and re-matched. Records that left the export
 * are withdrawn.
 */
async function syncZip(db: Db, feed: string, path: string, now: () => number, signal: AbortSignal): Promise<FeedSyncResult> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CollectorUnreachable(`advisory zip ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const mark = `${info.size}:${info.mtimeMs}`;
  if (feedWatermark(db, feed) === mark) return { feed, added: 0, updated: 0, withdrawn: 0, matched: 0, badRecords: [] };
  const records: OsvRecord[] = [];
  const bad: { file: string; reason: string }[] = [];
  await readZipJson(
    path,
    (name, text) => {
      try {
        records.push(parseOsvRecord(JSON.parse(text)));
      } catch (error) {
        bad.push({ file: name, reason: (error as Error).message });
      }
    },
    signal,
  );
  const totals = { added: 0, updated: 0, withdrawn: 0, matched: 0 };
  for (let i = 0; i < records.length || i === 0; i += BATCH) {
    const last = i + BATCH >= records.length;
    const summary = upsertAdvisories(db, feed, records.slice(i, i + BATCH), now(), last ? () => setFeedWatermark(db, feed, mark, now()) : undefined);
    totals.added += summary.added;
    totals.updated += summary.updated;
    totals.withdrawn += summary.withdrawn;
    totals.matched += summary.matched;
  }
  // A record that failed to parse is still in the export: it must not be taken for a removed one.
  const present = new Set([...records.map((r) => r.id), ...bad.map((b) => basename(b.file, '.json'))]);
  const removed = withdrawMissing(db, feed, present, now());
  return { feed, ...totals, withdrawn: totals.withdrawn + removed.withdrawn, matched: totals.matched + removed.matched, badRecords: bad };
}

async function listJson(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name));
}

/**
 * A directory of OSV JSON (`<id>.json`, any depth). Incremental by file mtime: files not touched since the last sync
 * are not read; a record whose `modified` did not change is not rewritten. Files that disappeared withdraw their
 * advisory, as osv.dev asks of deleted records.
 */
async function syncDirectory(db: Db, feed: string, root: string, now: () => number, signal: AbortSignal): Promise<FeedSyncResult> {
  let files: string[];
  try {
    files = await listJson(root);
  } catch (error) {
    throw new CollectorUnreachable(`advisory directory ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const watermark = Number(feedWatermark(db, feed) || '0');
  let highest = watermark;
  const present = new Set<string>();
  const bad: { file: string; reason: string }[] = [];
  const totals = { added: 0, updated: 0, withdrawn: 0, matched: 0 };
  let batch: OsvRecord[] = [];
  const flush = (last: boolean) => {
    const summary = upsertAdvisories(db, feed, batch, now(), last ? () => setFeedWatermark(db, feed, String(highest), now()) : undefined);
    totals.added += summary.added;
    totals.updated += summary.updated;
    totals.withdrawn += summary.withdrawn;
    totals.matched += summary.matched;
    batch = [];
  };
  for (const file of files) {
    signal.throwIfAborted();
    present.add(basename(file, '.json'));
    const mtime = (await stat(file)).mtimeMs;
    // >= rather than >: a file written in the same millisecond as the last sync must still be read.
    if (watermark > 0 && mtime < watermark) continue;
    highest = Math.max(highest, mtime);
    try {
      batch.push(parseOsvRecord(JSON.parse(await readFile(file, 'utf8'))));
    } catch (error) {
      bad.push({ file: relative(root, file), reason: (error as Error).message });
    }
    if (batch.length >= BATCH) flush(false);
  }
  flush(true);
  const removed = withdrawMissing(db, feed, present, now());
  return { feed, ...totals, withdrawn: totals.withdrawn + removed.withdrawn, matched: totals.matched + removed.matched, badRecords: bad };
}

/**
 * OSV's published layout (the osv-vulnerabilities bucket): `modified_id.csv` per ecosystem lists `<modified>,<id>`
 * newest first, so a sync reads lines until it reaches its watermark and fetches only those records. The watermark
 * moves only when every record up to it was stored.
 */
async function syncHttp(db: Db, feed: Extract<AdvisoryFeed, { kind: 'osv-http' }>, now: () => number, signal: AbortSignal): Promise<FeedSyncResult> {
  const totals = { added: 0, updated: 0, withdrawn: 0, matched: 0 };
  const bad: { file: string; reason: string }[] = [];
  for (const ecosystem of feed.ecosystems) {
    const key = `${feed.name}/${ecosystem}`;
    const base = `${feed.url.replace(/\/$/, '')}/${encodeURIComponent(ecosystem)}`;
    const csv = await fetchText(`${base}/modified_id.csv`, feed.timeoutMs, signal);
    const watermark = feedWatermark(db, key);
    const pending: { modified: string; id: string }[] = [];
    for (const line of csv.split(/\r?\n/)) {
      const comma = line.indexOf(',');
      if (comma < 0) continue;
      const modified = line.slice(0, comma).trim();
      const id = line.slice(comma + 1).trim();
      if (watermark && modified <= watermark) continue;
      pending.push({ modified, id });
    }
    const highest = pending.reduce((max, p) => (p.modified > max ? p.modified : max), watermark);
    let batch: OsvRecord[] = [];
    for (const [index, { id }] of pending.entries()) {
      const text = await fetchText(`${base}/${encodeURIComponent(id)}.json`, feed.timeoutMs, signal);
      try {
        batch.push(parseOsvRecord(JSON.parse(text)));
      } catch (error) {
        bad.push({ file: `${ecosystem}/${id}.json`, reason: (error as Error).message });
      }
      const last = index === pending.length - 1;
      if (batch.length >= BATCH || last) {
        const summary = upsertAdvisories(db, key, batch, now(), last ? () => setFeedWatermark(db, key, highest, now()) : undefined);
        totals.added += summary.added;
        totals.updated += summary.updated;
        totals.withdrawn += summary.withdrawn;
        totals.matched += summary.matched;
        batch = [];
      }
    }
    if (pending.length === 0) setFeedWatermark(db, key, watermark, now());
  }
  return { feed: feed.name, ...totals, badRecords: bad };
}

async function fetchText(url: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new CollectorUnreachable(`GET ${url}: ${(error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message}`);
  }
  if (!response.ok) throw new CollectorUnreachable(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
