import { lazyCollector } from '../../../src/check-api/lazy.js';
import { sharedCollector } from '../../../src/check-api/shared-collector.js';
import type { CheckContext, Collected } from '../../../src/check-api/types.js';
import { emptyCluster, type ClusterInventory, type NodeInventory } from '../model.js';
import { resolvedSource, type K8sOptions } from '../options.js';

const collectFromApi = lazyCollector(() => import('./api.js').then((m) => m.collectClusterFromApi));
const collectFromDumps = lazyCollector(() => import('./dump.js').then((m) => m.collectClusterFromDumps));

/**
 * The API-object collector every k8s.* check shares: one `audit run k8s` (or one tick of a `check: k8s` job) lists the
 * cluster once. The live-API path loads @kubernetes/client-node only when a run needs it.
 */
export const clusterObjects = sharedCollector(async (ctx: CheckContext<K8sOptions>): Promise<Collected<ClusterInventory>> => {
  switch (resolvedSource(ctx.options)) {
    case 'api':
      return collectFromApi(ctx);
    case 'dump':
      return collectFromDumps(ctx);
    case 'none':
      return { data: emptyCluster('k8s:none', 'none'), coverage: { ok: [], failed: [], skipped: [{ scope: 'k8s:none', reason: 'source: none (node files only)', count: 1 }] } };
  }
});

/** Node files (sections 1–4) from `nodeRoot`; shared the same way. */
export const nodeFiles = sharedCollector(lazyCollector(() => import('./node-files.js').then((m) => (ctx: CheckContext<K8sOptions>): Promise<Collected<NodeInventory | undefined>> => m.collectNodeFiles(ctx))));
