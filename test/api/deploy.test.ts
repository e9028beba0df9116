import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { registry } from '../../checks/registry.js';
import { parseConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { openStore } from '../../src/store/db.js';
import { useTempDir } from '../builders/temp-dir.js';

const K8S = 'deploy/kubernetes';
const docs = () =>
  readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(K8S, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() as any })));

describe('deploy/', () => {
  const tempDir = useTempDir();

  it('the Grafana dashboard only queries metrics Vigil exports', async () => {
    const db = openStore(join(tempDir(), 'ledger.db'));
    const metrics = createMetrics({ db, processMetrics: false, queueCounts: async () => ({ waiting: 0, active: 0, delayed: 0, failed: 0 }) });
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).flatMap((m) => (m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name])));
    db.close();
    const dashboard = JSON.parse(readFileSync('deploy/grafana/vigil.json', 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
    const used = new Set(exprs.flatMap((e) => e.match(/\bvigil_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(9);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('runs one daemon (Recreate, ledger on a PVC) and workers without the ledger, with a config Vigil accepts', () => {
    const all = docs();
    const deployment = (name: string) => all.find((d) => d.doc.kind === 'Deployment' && d.doc.metadata.name === name)!.doc;
    const daemon = deployment('vigil-daemon');
    const worker = deployment('vigil-worker');
    expect([daemon.spec.replicas, daemon.spec.strategy.type]).toEqual([1, 'Recreate']);
    expect(daemon.spec.template.spec.volumes.map((v: any) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual(['vigil-ledger']);
    expect(worker.spec.template.spec.volumes.some((v: any) => v.persistentVolumeClaim)).toBe(false);
    expect(worker.spec.template.spec.containers[0].args.slice(0, 1)).toEqual(['worker']);
    expect(daemon.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    const configMap = all.find((d) => d.doc.kind === 'ConfigMap')!.doc;
    const env = { VIGIL_API_TOKEN_CI: 'c'.repeat(32), VIGIL_API_TOKEN_PROMETHEUS: 'p'.repeat(32) };
    const loaded = parseConfig(configMap.data['vigil.yaml'], 'configmap vigil.yaml', registry, env);
    expect(loaded.config.queue.url).toBe('redis://vigil-redis:6379/0');
    expect(loaded.config.api).toMatchObject({ enabled: true, port: 8787 });
    expect(loaded.config.store.path).toBe(daemon.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'ledger').mountPath + '/vigil.db');
    // Pods get time to drain: more than the configured shutdown grace.
    expect(daemon.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(loaded.config.daemon.shutdownGrace);
    const redis = all.find((d) => d.doc.kind === 'StatefulSet')!.doc;
    expect(redis.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });
});
