import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';
import type { ArtifactFile } from '../parse/artifact.js';
import { describedArtifact } from '../parse/sboms.js';

export interface ListedArtifact {
  readonly name: string;
  readonly version: string;
  readonly location: string;
  /** Reads the artifact's files; called only for versions not yet in the inventory. */
  readonly fetch: () => Promise<ArtifactFile[]>;
}

async function filesUnder(dir: string): Promise<ArtifactFile[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files: ArtifactFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.push({ path: relative(dir, full).split(sep).join('/'), bytes: await readFile(full) });
  }
  return files;
}

/**
 * Lists a local directory of released artifacts: `<root>/<artifact>/<version>/**` is one artifact version (its
 * lockfiles and SBOMs), and a CycloneDX/SPDX JSON file at the top is an artifact version named by its own metadata.
 */
export async function listLocalDirectory(root: string): Promise<ListedArtifact[]> {
  let top;
  try {
    top = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new CollectorUnreachable(`artifact directory ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const listed: ListedArtifact[] = [];
  for (const entry of top.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      for (const version of (await readdir(path, { withFileTypes: true })).filter((v) => v.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const dir = join(path, version.name);
        listed.push({ name: entry.name, version: version.name, location: dir, fetch: () => filesUnder(dir) });
      }
    } else if (entry.isFile() && /\.(cdx|spdx|cyclonedx)\.json$|^bom\.json$|\.(cdx|cyclonedx)\.xml$|^bom\.xml$/.test(entry.name)) {
      const bytes = await readFile(path);
      const described = describedArtifact(bytes.toString('utf8'));
      const name = described?.name ?? entry.name.replace(/\.(json|xml)$/, '');
      listed.push({ name, version: described?.version ?? 'unversioned', location: path, fetch: async () => [{ path: entry.name, bytes }] });
    }
  }
  return listed;
}
