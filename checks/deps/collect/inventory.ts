import { InvalidConfigError, VigilError, describeError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Coverage, ResolutionReason } from '../../../src/check-api/types.js';
import { openStore, type Db } from '../../../src/store/db.js';
import type { ArtifactSource, VulnerableComponentsOptions } from '../options.js';
import { readArtifact } from '../parse/artifact.js';
import { createHash } from 'node:crypto';
import { changedSince, currentMatches, knownVersion, loggedResolutions, matchesOfVersions, matchLogHead, pairKey, recordArtifactVersion, versionsOf, type ChangedPairs, type MatchRow } from '../store/inventory-store.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { listHttpDirectory } from './http-directory.js';
import { listLocalDirectory, type ListedArtifact } from './local-directory.js';
import { listNexus } from './nexus.js';
import { listNpmRegistry } from './npm-registry.js';
import { syncFeed } from './osv-feeds.js';

export interface DepsInventory {
  /** Current matches of the artifact versions this run reports: all of them, or only those changed since the cursor. */
  readonly matches: readonly MatchRow[];
  /** `full` reports every stored version; `changed` only the (version, package) pairs changed since the last run. */
  readonly mode: 'full' | 'changed';
  readonly versionsReported: number;
  /** (artifact version, package) pairs this run looked at, hence covers. */
  readonly pairsReported: number;
  /** Why findings of the reported pairs may have gone (retracted, fixed, removed), from the match log. */
  readonly resolutions: readonly ResolutionReason[];
  readonly artifactVersions: number;
  /** Artifact versions fetched and parsed by this run (all others were parsed by earlier runs and not fetched again). */
  readonly parsedNow: number;
}

import { componentScope, sourceScope, versionScope } from '../source-scope.js';

export { sourceScope };

/** Cursor: the match-log entry the last run saw, the options that shaped its findings, and its last full pass. */
const CURSOR = 'deps.match-log';
interface MatchCursor {
  readonly seq: number;
  readonly options: string;
  readonly fullAt: number;
}

function readCursor(text: string | undefined): MatchCursor | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as MatchCursor;
    return typeof value.seq === 'number' && typeof value.options === 'string' && typeof value.fullAt === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What decides a finding besides the match state: a new VEX statement or source list must re-evaluate everything. */
function findingOptionsDigest(options: VulnerableComponentsOptions): string {
  const relevant = { vex: options.vex, privateRegistries: options.privateRegistries, sources: options.sources.map((s) => s.name).sort(), handoff: [...options.handoffSources].sort() };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/**
 * The inventory database: injected by the host (`services.depsDb`), else opened from `options.inventoryDb`, else the
 * ledger the CLI, daemon or worker writes to (`services.ledgerPath`, from `store.path`).
 */
export function inventoryDb(ctx: CheckContext<VulnerableComponentsOptions>): { db: Db; close: boolean } {
  const injected = ctx.services.depsDb as Db | undefined;
  if (injected) return { db: injected, close: false };
  const path = ctx.options.inventoryDb ?? (ctx.services.ledgerPath as string | undefined);
  if (!path) throw new InvalidConfigError('deps: set options.inventoryDb (usually the ledger path) or inject services.depsDb');
  return { db: openStore(path), close: true };
}

export type SourceLister = (source: ArtifactSource, signal: AbortSignal) => Promise<ListedArtifact[]>;

function listerFor(services: Readonly<Record<string, unknown>>): SourceLister {
  return async (source, signal) => {
    switch (source.kind) {
      case 'local':
        return listLocalDirectory(source.path);
      case 'nexus':
        return listNexus(source, signal);
      case 'http-dir':
        return listHttpDirectory(source, signal);
      case 'npm':
        return listNpmRegistry(source, signal);
      case 's3': {
        // Loaded on use: the AWS SDK is heavy, and every CLI command loads the check registry.
        const { listS3Bucket } = await import('./s3-bucket.js');
        return listS3Bucket(source, signal, services.s3Client as S3Client | undefined);
      }
    }
  };
}

/**
 * Syncs advisory feeds, then artifact sources (fetching and parsing only versions the inventory does not hold), and
 * returns every current match for this job's sources. Matching happens inside the writes themselves (new package
 * versions on arrival, changed advisories on import), so this run only reads the result. A feed or source that fails
 * is a failed scope: the run is partial and resolves nothing.
 */
export async function collectDepsInventory(ctx: CheckContext<VulnerableComponentsOptions>): Promise<Collected<DepsInventory>> {
  const { db, close } = inventoryDb(ctx);
  const now = () => ctx.clock.now();
  const ok: string[] = [];
  const failed: Coverage['failed'][number][] = [];
  const skipped: NonNullable<Coverage['skipped']>[number][] = [];
  const lister = (ctx.services.depsSourceLister as SourceLister | undefined) ?? listerFor(ctx.services);
  try {
    for (const feed of ctx.options.advisories) {
      const scope = `advisories:${feed.name}`;
      try {
        const result = await syncFeed(db, feed, now, ctx.signal);
        ctx.log.info({ feed: feed.name, added: result.added, updated: result.updated, withdrawn: result.withdrawn, matched: result.matched }, 'advisory feed synced');
        for (const bad of result.badRecords) failed.push({ scope: `${scope}/${bad.file}`, error: { name: 'InvalidAdvisory', message: `${bad.file}: ${bad.reason}` } });
        ok.push(scope);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        failed.push({ scope, error: { name: error instanceof VigilError ? error.name : 'AdvisorySyncFailed', message: describeError(error) } });
      }
    }
    let parsedNow = 0;
    for (const source of ctx.options.sources) {
      const scope = sourceScope(source.name);
      try {
        const listed = await lister(source, ctx.signal);
        let unrecognised = 0;
        for (const artifact of listed) {
          ctx.signal.throwIfAborted();
          if (knownVersion(db, source.name, artifact.name, artifact.version)) continue;
          const parsed = await readArtifact(await artifact.fetch());
          recordArtifactVersion(
            db,
            { source: source.name, name: artifact.name, version: artifact.version, digest: parsed.digest, location: artifact.location, files: parsed.files, errors: parsed.errors },
            now(),
          );
          parsedNow += 1;
          unrecognised += parsed.unrecognised;
          for (const error of parsed.errors) {
            failed.push({ scope: `${scope}/${artifact.name}@${artifact.version}/${error.path}`, error: { name: 'UnreadableFile', message: `${error.path}: ${error.reason}` } });
          }
        }
        if (unrecognised > 0) skipped.push({ scope, reason: 'files of no recognised lockfile or SBOM format', count: unrecognised });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        failed.push({ scope, error: { name: error instanceof VigilError ? error.name : 'SourceSyncFailed', message: describeError(error) } });
      }
    }
    const sources = [...ctx.options.sources.map((s) => s.name), ...ctx.options.handoffSources];
    const report = chooseReport(ctx, db, sources, failed, now());
    ctx.log.info({ mode: report.mode, versions: report.versionsReported, pairs: report.pairsReported, matches: report.matches.length }, 'deps inventory read');
    return {
      data: { matches: report.matches, mode: report.mode, versionsReported: report.versionsReported, pairsReported: report.pairsReported, resolutions: report.resolutions, artifactVersions: report.artifactVersions, parsedNow },
      coverage: { ok: [...ok, ...report.covered], failed, ...(skipped.length ? { skipped } : {}) },
    };
  } finally {
    if (close) db.close();
  }
}

/**
 * Decides what this run reports. A run reports every stored version (a full pass) when it has no cursor, when the
 * options that shape findings changed, or once per `fullRescanHours`; otherwise only the (artifact version, package)
 * pairs whose matches changed since its cursor (see changedSince), and its coverage names just those pairs, so the
 * ledger leaves every other finding exactly as it is. Nothing is covered when an advisory feed failed (stale or
 * half-synced advisories must not resolve anything), nor in a source that could not be listed or a version with an
 * unreadable file. The cursor moves only when nothing failed, so a partial run's changes are reported again by the
 * next complete one.
 */
function chooseReport(
  ctx: CheckContext<VulnerableComponentsOptions>,
  db: Db,
  sources: readonly string[],
  failed: readonly Coverage['failed'][number][],
  now: number,
): { matches: MatchRow[]; mode: 'full' | 'changed'; versionsReported: number; pairsReported: number; artifactVersions: number; covered: string[]; resolutions: ResolutionReason[] } {
  const head = matchLogHead(db);
  const digest = findingOptionsDigest(ctx.options);
  const cursor = readCursor(ctx.cursor.get(CURSOR));
  let changed: ChangedPairs | undefined;
  if (cursor && cursor.options === digest && now - cursor.fullAt < ctx.options.fullRescanHours * 3_600_000) {
    const since = changedSince(db, cursor.seq, head);
    if (!since.full) changed = since.pairs;
  }
  const versions = versionsOf(db, sources);
  const reported = changed ? versions.filter((v) => changed.has(v.id)) : versions;
  let matches: MatchRow[];
  const pairs: { source: string; artifact: string; version: string; ecosystem: string; name: string }[] = [];
  if (changed) {
    const wanted = new Set<string>();
    for (const v of reported) {
      for (const key of changed.get(v.id)!) {
        const [ecosystem, name] = key.split('\u0000') as [string, string];
        pairs.push({ source: v.source, artifact: v.artifact, version: v.version, ecosystem, name });
        wanted.add(`${v.source}/${v.artifact}@${v.version}\u0000${key}`);
      }
    }
    matches = matchesOfVersions(db, reported.map((v) => v.id)).filter((row) => wanted.has(`${row.source}/${row.artifact}@${row.version}\u0000${pairKey(row.ecosystem, row.packageName)}`));
  } else {
    matches = currentMatches(db, sources);
    const seen = new Set<string>();
    for (const row of matches) {
      const id = `${row.source}/${row.artifact}@${row.version}\u0000${pairKey(row.ecosystem, row.packageName)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push({ source: row.source, artifact: row.artifact, version: row.version, ecosystem: row.ecosystem, name: row.packageName });
    }
  }
  const covered: string[] = [];
  if (!failed.some((f) => f.scope.startsWith('advisories:'))) {
    const failedScopes = failed.map((f) => f.scope);
    const broken = (scope: string) => failedScopes.some((f) => f === scope || f.startsWith(`${scope}/`));
    const usable = (source: string, artifact: string, version: string) => !broken(sourceScope(source)) && !broken(versionScope(source, artifact, version));
    for (const p of pairs) if (usable(p.source, p.artifact, p.version)) covered.push(componentScope(p.source, p.artifact, p.version, p.ecosystem, p.name));
    if (!changed) {
      // A full pass also covers whole versions and sources: findings recorded before per-component scopes existed resolve there.
      for (const v of reported) if (usable(v.source, v.artifact, v.version)) covered.push(versionScope(v.source, v.artifact, v.version));
      for (const source of sources) if (!broken(sourceScope(source))) covered.push(sourceScope(source));
    }
  }
  // Reasons come from the log since the cursor, also on a full pass (which then covers those pairs too).
  const reportedIds = new Set(reported.map((v) => v.id));
  const resolutions = cursor ? loggedResolutions(db, cursor.seq, head).filter((r) => reportedIds.has(r.versionId)).map(({ resourceId, key, reason }) => ({ resourceId, key, reason })) : [];
  if (failed.length === 0) ctx.cursor.set(CURSOR, JSON.stringify({ seq: head, options: digest, fullAt: changed ? cursor!.fullAt : now } satisfies MatchCursor));
  return { matches, mode: changed ? 'changed' : 'full', versionsReported: reported.length, pairsReported: pairs.length, artifactVersions: versions.length, covered, resolutions };
}
