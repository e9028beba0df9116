import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LISTED_RESOURCES } from '../../../checks/k8s/collect/api.js';
import { K8S_CHECKS } from '../../../checks/k8s/index.js';
import { registry } from '../../../checks/registry.js';
import { executeRun } from '../../../jobs/runner.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';

const DIR = 'deploy/k8s';
const docs = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJS() as any));
const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);

describe('deploy/k8s', () => {
  it('grants list, and only list, on exactly the resources the collector reads, never secrets', () => {
    const role = find('ClusterRole', 'vigil-k8s-scanner');
    const granted = role.rules.flatMap((rule: any) => {
      expect(rule.verbs).toEqual(['list']);
      return rule.apiGroups.flatMap((group: string) => rule.resources.map((resource: string) => `${group}/${resource}`));
    });
    expect(granted.sort()).toEqual(LISTED_RESOURCES.map((r) => `${r.group}/${r.resource}`).sort());
    expect(JSON.stringify(docs)).not.toMatch(/"secrets"/);
    const binding = find('ClusterRoleBinding', 'vigil-k8s-scanner');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vigil-k8s-scanner', namespace: 'vigil' }]);
  });

  it('ships configs Vigil accepts, expanding check: k8s into every control', () => {
    const configMap = find('ConfigMap', 'vigil-k8s-config');
    const cluster = parseConfig(configMap.data['vigil.yaml'], 'vigil.yaml', registry, {});
    expect(cluster.jobs.map((j) => j.checkId).sort()).toEqual(K8S_CHECKS.map((c) => c.id).sort());
    const node = parseConfig(configMap.data['vigil-node.yaml'], 'vigil-node.yaml', registry, {});
    expect(node.jobs.every((j) => (j.options as any).nodeRoot === '/host')).toBe(true);
    for (const name of ['vigil-k8s-scan', 'vigil-k8s-node-scan']) {
      const cron = find('CronJob', name);
      expect(cron.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('vigil-k8s-scanner');
      expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args.slice(0, 2)).toEqual(['run', 'k8s']);
    }
  });

  it('passes its own pod-security controls; the node scan only under its audited exceptions', async () => {
    const configMap = find('ConfigMap', 'vigil-k8s-config');
    const { exceptions } = parseConfig(configMap.data['vigil.yaml'], 'vigil.yaml', registry, {}).jobs[0]!.options as { exceptions: unknown[] };
    const checks = { get: (id: string) => K8S_CHECKS.find((c) => c.id === id) };
    const hardening = ['privileged-containers', 'host-pid', 'host-ipc', 'host-network', 'privilege-escalation', 'root-containers', 'net-raw', 'capabilities-not-dropped', 'host-path-volumes', 'host-ports', 'seccomp-profile', 'secrets-in-env'];
    for (const control of hardening) {
      const result = await executeRun({ runId: control, checkId: `k8s.pods.${control}`, targetId: 'deploy', trigger: 'cli', options: { dumps: [DIR], exceptions }, timeoutMs: 10_000 }, { checks, log: silentLogger });
      expect(result.outcome).toBe('ok');
      for (const finding of result.findings) {
        expect(finding.resourceId, `${control}: ${finding.title}`).toBe('vigil/CronJob/vigil-k8s-node-scan');
        expect(finding.acceptance?.owner).toBe('platform-security');
      }
    }
  });
});
