import { InvalidConfigError } from '../../check-api/errors.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

export interface ArtifactsAddOptions extends GlobalOptions {
  readonly name?: string;
  readonly release?: string;
  readonly source: string;
}

/** `audit artifacts add <file...> --name --version`: the CI hand-off of a released artifact's lockfiles or SBOM. */
export async function artifactsAddCommand(files: string[], options: ArtifactsAddOptions): Promise<number> {
  const { handOffArtifact } = await import('../../../checks/deps/collect/handoff.js');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.source)) throw new InvalidConfigError(`--source '${options.source}' must be letters, digits, dot, dash and underscore`);
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const result = await handOffArtifact(db, { source: options.source, files, ...(options.name ? { name: options.name } : {}), ...(options.release ? { version: options.release } : {}) }, Date.now());
    const what = result.outcome === 'unchanged' ? 'already registered with the same content; nothing changed' : `${result.outcome}, ${result.components} component(s)`;
    process.stdout.write(`${result.source}/${result.name}@${result.version}: ${what}; ${result.vulnerable} known advisory(ies) match now\n`);
    return 0;
  } finally {
    db.close();
  }
}

export interface ArtifactsImportOptions extends GlobalOptions {
  readonly feed: string;
}

/** `audit artifacts import-osv <dir|zip>`: loads OSV records into the advisory mirror and re-matches what they name. */
export async function artifactsImportOsvCommand(path: string, options: ArtifactsImportOptions): Promise<number> {
  const { syncFeed } = await import('../../../checks/deps/collect/osv-feeds.js');
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const kind = path.endsWith('.zip') ? ('osv-zip' as const) : ('osv-dir' as const);
    const started = Date.now();
    const result = await syncFeed(db, { kind, name: options.feed, path }, () => Date.now(), new AbortController().signal);
    for (const bad of result.badRecords) process.stderr.write(`audit: skipped ${bad.file}: ${bad.reason}\n`);
    process.stdout.write(
      `${options.feed}: ${result.added} added, ${result.updated} updated, ${result.withdrawn} withdrawn, ${result.matched} package match(es) in ${((Date.now() - started) / 1000).toFixed(2)}s\n`,
    );
    return result.badRecords.length > 0 ? 2 : 0;
  } finally {
    db.close();
  }
}

export interface ArtifactsListOptions extends GlobalOptions {
  readonly format: 'table' | 'json';
}

/** `audit artifacts list`: every registered artifact version with its component and advisory counts. */
export function artifactsListCommand(options: ArtifactsListOptions): number {
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT a.source, a.name, v.version, v.digest, v.parsed_at AS parsedAt,
                (SELECT count(*) FROM deps_components c WHERE c.version_id = v.id) AS components,
                (SELECT count(DISTINCT m.advisory_id) FROM deps_components c JOIN deps_package_matches m ON m.package_id = c.package_id WHERE c.version_id = v.id) AS advisories
         FROM deps_artifacts a JOIN deps_artifact_versions v ON v.artifact_id = a.id ORDER BY a.source, a.name, v.version`,
      )
      .all() as { source: string; name: string; version: string; digest: string; parsedAt: number; components: number; advisories: number }[];
    if (options.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const r of rows) process.stdout.write(`${r.source}/${r.name}@${r.version}\t${r.components} components\t${r.advisories} advisories\t${r.digest.slice(0, 12)}\n`);
    return 0;
  } finally {
    db.close();
  }
}

export interface ArtifactsVexOptions extends GlobalOptions {
  readonly job: string;
  readonly output?: string;
}

/** `audit artifacts vex --job <name>`: CycloneDX VEX for a deps job's current matches and its VEX statements. */
export async function artifactsVexCommand(options: ArtifactsVexOptions): Promise<number> {
  const { vulnerableComponentsOptions } = await import('../../../checks/deps/options.js');
  const { currentMatches } = await import('../../../checks/deps/store/inventory-store.js');
  const { buildCycloneDxVex } = await import('../../../checks/deps/vex.js');
  const { openStore } = await import('../../store/db.js');
  const { writeFileSync } = await import('node:fs');
  const loaded = loadCliConfig(options);
  const job = loaded.jobs.find((j) => j.name === options.job);
  if (!job || job.checkId !== 'deps.vulnerable-components') throw new InvalidConfigError(`no deps.vulnerable-components job named '${options.job}' in ${loaded.file ?? 'the config'}`);
  const parsed = vulnerableComponentsOptions.safeParse(job.options);
  if (!parsed.success) throw new InvalidConfigError(`job ${options.job}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const db = parsed.data.inventoryDb ? openStore(parsed.data.inventoryDb, { readonly: true }) : openCliStore(options, loaded, { readonly: true });
  try {
    const sources = [...parsed.data.sources.map((s) => s.name), ...parsed.data.handoffSources];
    const text = `${JSON.stringify(buildCycloneDxVex(currentMatches(db, sources), parsed.data, new Date()), null, 2)}\n`;
    if (options.output) writeFileSync(options.output, text);
    else process.stdout.write(text);
    return 0;
  } finally {
    db.close();
  }
}
