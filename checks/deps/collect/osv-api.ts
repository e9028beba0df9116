import { z } from 'zod';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';
import type { Db } from '../../../src/store/db.js';
import { parseOsvRecord, type OsvRecord } from '../osv/schema.js';
import { setFeedWatermark, upsertAdvisories } from '../store/advisory-store.js';
import type { FeedSyncResult } from './osv-feeds.js';

export interface OsvApiFeed {
  readonly name: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly batchSize: number;
}

const batchAnswer = z.looseObject({
  results: z.array(
    z.looseObject({ vulns: z.array(z.looseObject({ id: z.string(), modified: z.string().optional() })).optional(), next_page_token: z.string().optional() }),
  ),
});

async function call(url: string, init: RequestInit, feed: OsvApiFeed, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(feed.timeoutMs)]) });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CollectorUnreachable(`${init.method ?? 'GET'} ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (!response.ok) throw new CollectorUnreachable(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new CollectorUnreachable(`${init.method ?? 'GET'} ${url}: response is not JSON`);
  }
}

/**
 * The OSV query API (`POST /v1/querybatch`, then `GET /v1/vulns/<id>` for records not stored at that `modified`), for
 * when the API is reachable and no export is mirrored. Asks only about the inventory's distinct package versions, in
 * batches; records land in the same mirror as exported ones, so matching, aliases and withdrawals work the same. An
 * unreachable API is a failed feed (the run is partial, nothing resolves); records already mirrored stay.
 */
export async function syncOsvApi(db: Db, feed: OsvApiFeed, now: () => number, signal: AbortSignal): Promise<FeedSyncResult> {
  const base = feed.url.replace(/\/$/, '');
  const packages = db.prepare('SELECT ecosystem, name, version FROM deps_packages ORDER BY id').all() as { ecosystem: string; name: string; version: string }[];
  const wanted = new Map<string, string | undefined>();
  for (let start = 0; start < packages.length; start += feed.batchSize) {
    let queries: Record<string, unknown>[] = packages.slice(start, start + feed.batchSize).map((p) => ({ package: { ecosystem: p.ecosystem, name: p.name }, version: p.version }));
    // A query with more results than one page answers with a page token; only those queries are asked again.
    for (let page = 0; queries.length > 0 && page < 20; page++) {
      const answer = batchAnswer.safeParse(await call(`${base}/v1/querybatch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queries }) }, feed, signal));
      if (!answer.success || answer.data.results.length !== queries.length) throw new CollectorUnreachable(`POST ${base}/v1/querybatch: not a querybatch answer for ${queries.length} queries`);
      for (const result of answer.data.results) for (const vuln of result.vulns ?? []) wanted.set(vuln.id, vuln.modified);
      queries = answer.data.results.flatMap((result, i) => (result.next_page_token ? [{ ...queries[i], page_token: result.next_page_token }] : []));
    }
  }
  const stored = db.prepare('SELECT modified FROM deps_advisories WHERE id = ?');
  const records: OsvRecord[] = [];
  const bad: { file: string; reason: string }[] = [];
  for (const [id, modified] of wanted) {
    const current = stored.get(id) as { modified: string } | undefined;
    if (current && modified !== undefined && current.modified === modified) continue;
    const body = await call(`${base}/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' }, feed, signal);
    try {
      records.push(parseOsvRecord(body));
    } catch (error) {
      bad.push({ file: `vulns/${id}`, reason: (error as Error).message });
    }
  }
  const summary = upsertAdvisories(db, feed.name, records, now(), () => setFeedWatermark(db, feed.name, new Date(now()).toISOString(), now()));
  return { feed: feed.name, added: summary.added, updated: summary.updated, withdrawn: summary.withdrawn, matched: summary.matched, badRecords: bad };
}
