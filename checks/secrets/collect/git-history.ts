import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Collector, Coverage } from '../../../src/check-api/types.js';
import type { HistoryOptions, RepoSpec } from '../options.js';
import { SECRET_RULES } from '../rules/index.js';
import { createSecretScanner } from '../scan/secret-scanner.js';
import { resolveGitDir } from './git-process.js';
import { displayUrl, updateMirror, type MirrorAuth } from './mirror.js';
import { listGithubOrg, listGitlabGroup } from './repo-listing.js';
import { parseRepoState, type RepoState } from './repo-state.js';
import { scanRepository, type RepoScanStats } from './repo-scan.js';

export interface RepoHistory extends Omit<RepoState, 'v' | 'tips' | 'scannedUnreachable' | 'skipped'> {
  readonly repoId: string;
  readonly scope: string;
  readonly head: string | null;
  readonly stats: RepoScanStats;
}

export interface HistoryInventory {
  readonly repos: readonly RepoHistory[];
}

export function repoIdOf(repo: RepoSpec): string {
  return repo.name ?? (repo.url !== undefined ? displayUrl(repo.url) : resolve(repo.path!));
}

async function fetchMirror(repo: RepoSpec, mirrorDir: string, signal: AbortSignal): Promise<string> {
  let auth: MirrorAuth | undefined;
  if (repo.tokenEnv !== undefined) {
    const token = process.env[repo.tokenEnv];
    if (!token) throw new Error(`environment variable ${repo.tokenEnv} (tokenEnv) is not set`);
    auth = { token, user: repo.tokenUser };
  }
  return updateMirror(repo.url!, resolve(mirrorDir), auth, signal);
}

export const repoScope = (repoId: string) => `repo:${repoId}`;

/**
 * Reads every repository's history through its object database, one repository at a time, resuming from the cursor
 * the last run left for it. A repository that cannot be read is a failed scope (the run is partial there and resolves
 * nothing in it); its cursor is left as it was.
 */
export const collectGitHistory: Collector<HistoryInventory, HistoryOptions> = async (ctx) => {
  const options = ctx.options;
  const rules = SECRET_RULES.filter((rule) => !options.allow.rules.includes(rule.id));
  const scanner = createSecretScanner(rules, { stopwords: options.allow.stopwords });
  // Anything that changes what a scan would have found invalidates the saved state: rescan from scratch then.
  const settings = createHash('sha256')
    .update(JSON.stringify([rules.map((r) => r.id), options.allow.stopwords, options.maxBlobBytes, options.skipPaths, options.includeReflogs, options.includeUnreachable, options.scanMessages]))
    .digest('hex')
    .slice(0, 16);
  const repos: RepoHistory[] = [];
  const ok: string[] = [];
  const failed: Coverage['failed'][number][] = [];
  const skipped: NonNullable<Coverage['skipped']>[number][] = [];

  const listed: RepoSpec[] = [];
  const sources = [
    ...options.githubOrgs.map((org) => ({ scope: `github-org:${org.org}`, list: () => listGithubOrg(org, ctx.signal) })),
    ...options.gitlabGroups.map((group) => ({ scope: `gitlab-group:${group.group}`, list: () => listGitlabGroup(group, ctx.signal) })),
  ];
  for (const source of sources) {
    try {
      listed.push(...(await source.list()));
      ok.push(source.scope);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      // Without the listing we do not know which repositories to look at: the whole organisation is not covered.
      failed.push({ scope: source.scope, error: { name: 'CollectorUnreachable', message: `listing repositories failed: ${(error as Error).message}` } });
    }
  }
  const seen = new Set<string>();
  const allRepos = [...options.repos, ...listed].filter((repo) => {
    const id = repoIdOf(repo);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });

  for (const [index, repo] of allRepos.entries()) {
    const repoId = repoIdOf(repo);
    const scope = repoScope(repoId);
    ctx.progress(index, allRepos.length, repoId);
    let gitDir: string;
    try {
      gitDir = repo.url !== undefined ? await fetchMirror(repo, options.mirrorDir, ctx.signal) : await resolveGitDir(resolve(repo.path!), ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const what = repo.url !== undefined ? `fetching ${displayUrl(repo.url)} failed` : `${repo.path} is not a readable git repository`;
      failed.push({ scope, error: { name: 'CollectorUnreachable', message: `${what}: ${(error as Error).message}` } });
      continue;
    }
    const cursorKey = `repo:${repoId}`;
    const previous = ctx.cursor.get(`${cursorKey}:settings`) === settings ? parseRepoState(ctx.cursor.get(cursorKey)) : undefined;
    try {
      const started = ctx.clock.now();
      const { state, stats } = await scanRepository(
        gitDir,
        previous,
        scanner,
        { reflogs: options.includeReflogs, unreachable: options.includeUnreachable, messages: options.scanMessages, maxBlobBytes: options.maxBlobBytes, skipPaths: options.skipPaths, scanThreads: options.scanThreads, scanSettings: { disabledRules: options.allow.rules, stopwords: options.allow.stopwords } },
        ctx.signal,
      );
      ctx.log.info({ repo: repoId, ...stats, ms: ctx.clock.now() - started }, 'scanned git history');
      if (stats.mode !== 'unchanged') {
        ctx.cursor.set(cursorKey, JSON.stringify(state));
        ctx.cursor.set(`${cursorKey}:settings`, settings);
      }
      const { v: _v, tips, scannedUnreachable: _s, skipped: _k, ...rest } = state;
      repos.push({ ...rest, repoId, scope, head: tips.HEAD ?? null, stats });
      ok.push(scope);
      for (const [reason, count] of Object.entries(state.skipped)) if (count > 0) skipped.push({ scope, reason: `${reason} blobs`, count });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      failed.push({ scope, error: { name: (error as Error).name ?? 'Error', message: (error as Error).message } });
    }
  }
  ctx.progress(allRepos.length, allRepos.length);
  return { data: { repos }, coverage: { ok, failed, ...(skipped.length ? { skipped } : {}) } };
};
