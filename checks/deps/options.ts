import { z } from 'zod';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'names are letters, digits, dot, dash and underscore');

/** A directory laid out as `<artifact>/<version>/**` (lockfiles, SBOMs), plus SBOMs at the top that name themselves. */
export const localSource = z.strictObject({ kind: z.literal('local'), name, path: z.string().min(1) });

const timeoutMs = z.number().int().min(100).default(30_000);

/** Nexus Repository 3 REST: every component version of one repository (continuation tokens). */
export const nexusSource = z.strictObject({
  kind: z.literal('nexus'),
  name,
  url: z.url(),
  repository: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  timeoutMs,
});

/** A plain HTTP directory index (Apache/nginx autoindex, Artifactory browsing): `<url>/<artifact>/<version>/<files>`. */
export const httpDirectorySource = z.strictObject({ kind: z.literal('http-dir'), name, url: z.url(), username: z.string().optional(), password: z.string().optional(), timeoutMs });

/** Every published version of the named npm packages; what pins their dependencies is the tarball's npm-shrinkwrap.json. */
export const npmRegistrySource = z.strictObject({ kind: z.literal('npm'), name, registry: z.url().default('https://registry.npmjs.org'), packages: z.array(z.string().min(1)).min(1), timeoutMs });

/** An S3 bucket laid out as `<prefix><artifact>/<version>/<files>`. */
export const s3Source = z.strictObject({ kind: z.literal('s3'), name, bucket: z.string().min(3), prefix: z.string().default(''), region: z.string().default('us-east-1'), endpoint: z.url().optional() });

export const artifactSource = z.discriminatedUnion('kind', [localSource, nexusSource, httpDirectorySource, npmRegistrySource, s3Source]);

/** A directory of OSV JSON records (an unpacked `all.zip`, or a git checkout of an advisory database). */
export const osvDirectoryFeed = z.strictObject({ kind: z.literal('osv-dir'), name, path: z.string().min(1) });

/** OSV's bucket layout over HTTP: `<url>/<ecosystem>/modified_id.csv` and `<url>/<ecosystem>/<id>.json`. */
export const osvHttpFeed = z.strictObject({
  kind: z.literal('osv-http'),
  name,
  url: z.url(),
  ecosystems: z.array(z.string().min(1)).min(1),
  timeoutMs: z.number().int().min(100).default(30_000),
});

/** An OSV export zip (osv.dev's `<ecosystem>/all.zip`). */
export const osvZipFeed = z.strictObject({ kind: z.literal('osv-zip'), name, path: z.string().min(1) });

/**
 * The OSV query API (`https://api.osv.dev` or a compatible server): asked about the inventory's own package versions
 * when the API is reachable; slower than a mirror and online, so exports stay the default.
 */
export const osvApiFeed = z.strictObject({
  kind: z.literal('osv-api'),
  name,
  url: z.url().default('https://api.osv.dev'),
  batchSize: z.number().int().min(1).max(1000).default(1000),
  timeoutMs: z.number().int().min(100).default(30_000),
});

export const advisoryFeed = z.discriminatedUnion('kind', [osvDirectoryFeed, osvZipFeed, osvHttpFeed, osvApiFeed]);

/** CycloneDX VEX justifications (analysis.justification). */
export const VEX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;

/**
 * A `not_affected` statement: this vulnerability (by CVE, GHSA or any advisory id) does not affect one artifact (by
 * name, or name@version), or every artifact when none is given, optionally only through one package.
 */
export const vexStatement = z.strictObject({
  vulnerability: z.string().min(1),
  artifact: z.string().min(1).optional(),
  package: z.string().min(1).optional(),
  status: z.literal('not_affected').default('not_affected'),
  justification: z.enum(VEX_JUSTIFICATIONS),
  detail: z.string().min(1, 'say why: the statement is exported as VEX and read by auditors'),
});

export const vulnerableComponentsOptions = z.strictObject({
  /**
   * The SQLite file that holds the artifact inventory and advisory mirror. Default: the ledger itself (`store.path`,
   * given by the CLI, daemon and worker as `services.ledgerPath`), or the open database a caller injects as
   * `services.depsDb`.
   */
  inventoryDb: z.string().min(1).optional(),
  sources: z.array(artifactSource).default([]),
  /** Sources fed by `audit artifacts add` (CI hand-off) whose artifacts this job also evaluates. */
  handoffSources: z.array(name).default(['ci']),
  advisories: z.array(advisoryFeed).min(1, 'give at least one advisory feed'),
  /**
   * Registry URL prefixes of private packages: a component resolved from one of them is not matched against public
   * advisories about a package that merely has the same name (dependency confusion goes the other way).
   */
  privateRegistries: z.array(z.string().min(1)).default([]),
  /** VEX statements: matches they cover are not findings, and `audit artifacts vex` exports them as CycloneDX VEX. */
  vex: z.array(vexStatement).default([]),
  /**
   * Runs report only the artifact versions whose matches changed since the previous run; every this many hours (and
   * whenever the options above change) a run reports every version again. 0 makes every run a full pass.
   */
  fullRescanHours: z.number().min(0).default(24),
});

export type VexStatement = z.output<typeof vexStatement>;

export type VulnerableComponentsOptions = z.output<typeof vulnerableComponentsOptions>;
export type ArtifactSource = z.output<typeof artifactSource>;
export type AdvisoryFeed = z.output<typeof advisoryFeed>;
