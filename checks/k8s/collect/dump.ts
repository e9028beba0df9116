import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeError } from '../../../src/check-api/errors.js';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import type { ClusterInventory } from '../model.js';
import type { K8sOptions } from '../options.js';
import { InventoryBuilder } from './normalize.js';

const MANIFEST_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads offline inventories: `kubectl get <kinds> -A -o json` List files, single objects, multi-document YAML manifest
 * directories, and `kubectl version -o json` / `/version` output for managed-cluster detection. A file that cannot be
 * read or parsed makes the collection partial, so a truncated dump never resolves a finding.
 */
export async function collectClusterFromDumps(ctx: CheckContext<K8sOptions>): Promise<Collected<ClusterInventory>> {
  const roots = ctx.options.dumps.map((path) => resolve(path));
  const scope = `k8s-dump:${roots.join(',')}`;
  const builder = new InventoryBuilder(scope, 'dump');
  const failed: Coverage['failed'][number][] = [];
  const files: string[] = [];
  for (const root of roots) {
    try {
      files.push(...(await manifestFiles(root)));
    } catch (error) {
      failed.push({ scope, error: { name: 'CollectorUnreadable', message: `${root}: ${describeError(error)}` } });
    }
  }
  for (const file of files.sort()) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    try {
      for (const document of parseDocuments(await readFile(file, 'utf8'), file)) addDocument(builder, document);
    } catch (error) {
      failed.push({ scope, error: { name: 'CollectorUnreadable', message: `${file}: ${describeError(error)}` } });
    }
  }
  return { data: builder.build(), coverage: { ok: failed.length ? [] : [scope], failed } };
}

async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await manifestFiles(child)));
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(child);
  }
  return out;
}

function parseDocuments(text: string, file: string): unknown[] {
  if (extname(file).toLowerCase() === '.json') return [JSON.parse(text)];
  const documents = parseAllDocuments(text);
  const out: unknown[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length > 0) throw new Error(`YAML: ${document.errors[0]!.message.split('\n')[0]}`);
    const value = document.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

function addDocument(builder: InventoryBuilder, document: any): void {
  if (!document || typeof document !== 'object') return;
  if (document.serverVersion) return builder.setVersion(document.serverVersion);
  if (!document.kind && typeof document.gitVersion === 'string') return builder.setVersion(document);
  if (document.kind === 'List' && Array.isArray(document.items)) {
    for (const item of document.items) addDocument(builder, item);
    return;
  }
  builder.add(document);
}
