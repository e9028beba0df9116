import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Trees that hold other people's code; skipped by default and counted in coverage.skipped. */
export const DEFAULT_SKIP_PATHS = [
  '**/node_modules/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/bower_components/**',
  '**/*.min.js',
  '**/package-lock.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/go.sum',
];

export const repoSpec = z
  .strictObject({
    /** Stable name used in resource ids; defaults to the absolute path or the URL without credentials. */
    name: z.string().min(1).optional(),
    /** A local work tree or bare repository. */
    path: z.string().min(1).optional(),
    /** A remote (https://, ssh://, git@host:..., file://), kept as a bare mirror under `mirrorDir` and fetched each run. */
    url: z.string().min(1).optional(),
    /** Name of the environment variable holding an HTTPS token for `url`. */
    tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** Basic-auth user sent with the token: GitHub takes x-access-token, GitLab oauth2. */
    tokenUser: z.string().min(1).default('x-access-token'),
  })
  .refine((repo) => (repo.path === undefined) !== (repo.url === undefined), { message: 'give exactly one of path or url' })
  .refine((repo) => repo.tokenEnv === undefined || repo.url !== undefined, { message: 'tokenEnv needs a url' });
export type RepoSpec = z.infer<typeof repoSpec>;

const tokenEnv = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional();

export const githubOrgSpec = z.strictObject({
  org: z.string().min(1),
  /** GitHub Enterprise Server: https://HOST/api/v3. */
  apiUrl: z.string().url().default('https://api.github.com'),
  tokenEnv,
  includeArchived: z.boolean().default(false),
  includeForks: z.boolean().default(false),
});

export const gitlabGroupSpec = z.strictObject({
  /** Group id or full path (acme/platform). */
  group: z.string().min(1),
  apiUrl: z.string().url().default('https://gitlab.com/api/v4'),
  tokenEnv,
  includeArchived: z.boolean().default(false),
  includeForks: z.boolean().default(false),
  includeSubgroups: z.boolean().default(true),
});

export const historyOptions = z.strictObject({
  repos: z.array(repoSpec).default([]),
  /** Whole GitHub organisations and GitLab groups, listed through their REST APIs on every run. */
  githubOrgs: z.array(githubOrgSpec).default([]),
  gitlabGroups: z.array(gitlabGroupSpec).default([]),
  /** Where bare mirrors of remote repositories are kept between runs. */
  mirrorDir: z.string().min(1).default(join(homedir(), '.cache', 'vigil', 'mirrors')),
  /** Also read objects no ref reaches (dangling commits and blobs left by deleted branches and force-pushes). */
  includeUnreachable: z.boolean().default(false),
  /** Treat reflog entries (and so older stash entries) as reachable. */
  includeReflogs: z.boolean().default(true),
  /** Scan commit and annotated tag messages. */
  scanMessages: z.boolean().default(true),
  maxBlobBytes: z.number().int().positive().default(5 * 1024 * 1024),
  /**
   * Worker threads on a large scan, each reading one slice of the objects through its own `git cat-file` and matching
   * it (git's delta resolution and a JS thread are each single-threaded); 1 reads and matches on the main thread.
   */
  scanThreads: z.number().int().min(1).max(16).default(2),
  skipPaths: z.array(z.string().min(1)).default(DEFAULT_SKIP_PATHS),
  allow: z
    .strictObject({
      /** Globs: a secret seen only under these paths is not reported. */
      paths: z.array(z.string().min(1)).default([]),
      /** A secret containing one of these strings (case-insensitive) is not reported. */
      stopwords: z.array(z.string().min(3)).default([]),
      /** Rule ids to turn off. */
      rules: z.array(z.string().min(1)).default([]),
    })
    .default({ paths: [], stopwords: [], rules: [] }),
}).refine((o) => o.repos.length + o.githubOrgs.length + o.gitlabGroups.length > 0, {
  message: 'give at least one of repos, githubOrgs or gitlabGroups',
});
export type HistoryOptions = z.infer<typeof historyOptions>;
