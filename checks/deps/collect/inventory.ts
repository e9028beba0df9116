import { InvalidConfigError, VigilError, describeError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import { openStore, type Db } from '../../../src/store/db.js';
import type { ArtifactSource, VulnerableComponentsOptions } from '../options.js';
import { readArtifact } from '../parse/artifact.js';
import { currentMatches, inventoryCounts, knownVersion, recordArtifactVersion, type MatchRow } from '../store/inventory-store.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { listHttpDirectory } from './http-directory.js';
import { listLocalDirectory, type ListedArtifact } from './local-directory.js';
import { listNexus } from './nexus.js';
import { listNpmRegistry } from './npm-registry.js';
import { syncFeed } from './osv-feeds.js';

export interface DepsInventory {
  readonly matches: readonly MatchRow[];
  readonly artifactVersions: number;
  readonly components: number;
  /** Artifact versions fetched and parsed by this run (all others were parsed by earlier runs and not fetched again). */
  readonly parsedNow: number;
}

import { sourceScope } from '../source-scope.js';

export { sourceScope };

/** The inventory database: injected by the host (`services.depsDb`), else opened from `options.inventoryDb`. */
export function inventoryDb(ctx: CheckContext<VulnerableComponentsOptions>): { db: Db; close: boolean } {
  const injected = ctx.services.depsDb as Db | undefined;
  if (injected) return { db: injected, close: false };
  if (!ctx.options.inventoryDb) throw new InvalidConfigError('deps: set options.inventoryDb (usually the ledger path) or inject services.depsDb');
  return { db: openStore(ctx.options.inventoryDb), close: true };
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
        ok.push(scope);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        failed.push({ scope, error: { name: error instanceof VigilError ? error.name : 'SourceSyncFailed', message: describeError(error) } });
      }
    }
    const sources = [...ctx.options.sources.map((s) => s.name), ...ctx.options.handoffSources];
    for (const handoff of ctx.options.handoffSources) ok.push(sourceScope(handoff));
    const counts = inventoryCounts(db, sources);
    return {
      data: { matches: currentMatches(db, sources), ...counts, parsedNow },
      coverage: { ok, failed, ...(skipped.length ? { skipped } : {}) },
    };
  } finally {
    if (close) db.close();
  }
}
