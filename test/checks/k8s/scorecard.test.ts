import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8S_CONTROLS } from '../../../checks/k8s/index.js';
import { k8sOptionsSchema } from '../../../checks/k8s/options.js';
import { scorecard } from '../../../checks/k8s/scorecard.js';
import { runCli } from '../../cli/run-cli.js';
import { deployment, inventory, namespace, safeContainer, safePodSpec } from '../../builders/k8s.js';
import { useTempDir } from '../../builders/temp-dir.js';
import type { NodeInventory } from '../../../checks/k8s/model.js';

const objects = [namespace('prod'), deployment('web', safePodSpec()), deployment('idle', safePodSpec({ containers: [safeContainer('a', { securityContext: { privileged: true } })] }), { replicas: 0, labels: { team: 'x' } })];
const node: NodeInventory = { scope: 'k8s-node:/host', nodeName: 'cp-1', components: { 'kube-apiserver': { source: 'manifest', flags: { '--anonymous-auth': 'false' }, env: {} } }, files: {}, documents: {} };

describe('k8s scorecard', () => {
  it('scores failed/total per control, keeps excepted objects in the count, and lists manual controls unscored', () => {
    const options = k8sOptionsSchema.parse({ exceptions: [{ control: 'k8s.pods.*', labels: { team: 'x' }, reason: 'batch image', owner: 'x-team', expires: '2027-01-01' }] });
    const card = scorecard(K8S_CONTROLS, { cluster: inventory(objects, 'v1.32.4'), node }, options);
    const row = (id: string) => card.rows.find((r) => r.id === id)!;
    expect(row('k8s.pods.privileged-containers')).toEqual({ id: 'k8s.pods.privileged-containers', cis: { '1.12': '5.2.2', '1.10': '5.2.2' }, status: 'fail', failed: 1, total: 2, unit: 'workloads' });
    expect(row('k8s.pods.host-pid')).toMatchObject({ status: 'pass', failed: 0, total: 2 });
    expect(row('k8s.pods.capabilities-not-dropped').cis).toEqual({ '1.12': '5.2.9', '1.10': '5.2.10' });
    expect(row('k8s.apiserver.anonymous-auth')).toMatchObject({ status: 'pass', total: 1 });
    expect(row('k8s.kubelet.anonymous-auth')).toEqual(expect.objectContaining({ status: 'not-applicable', reason: 'no kubelet on cp-1' }));
    expect(row('k8s.files.apiserver-manifest')).toMatchObject({ status: 'not-applicable', reason: 'no such file on cp-1' });
    expect(card.rows.filter((r) => r.status === 'manual').map((r) => r.cis['1.12'])).toContain('5.1.7');
    expect(card.summary.manual).toBe(11);
    expect(card.summary.pass + card.summary.fail + card.summary.notApplicable).toBe(K8S_CONTROLS.length);
  });

  it('says why section 1 does not apply on a managed cluster', () => {
    const card = scorecard(K8S_CONTROLS, { cluster: inventory(objects, 'v1.31.5-gke.1023000'), node }, k8sOptionsSchema.parse({}));
    expect(card.rows.find((r) => r.id === 'k8s.apiserver.anonymous-auth')).toMatchObject({ status: 'not-applicable', reason: expect.stringContaining('managed GKE cluster (/version gitVersion v1.31.5-gke.1023000)') });
  });

  const tempDir = useTempDir('vigil-k8s-score-');
  it('`audit k8s score <job>` prints every control from one offline collection', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ kind: 'List', apiVersion: 'v1', items: objects }));
    writeFileSync(join(dir, 'vigil.yaml'), `store: { path: ${join(dir, 'vigil.db')} }\njobs:\n  - name: offline\n    check: k8s\n    options: { dumps: [${join(dir, 'cluster.json')}] }\n`);
    const result = await runCli(['k8s', 'score', 'offline', '--config', join(dir, 'vigil.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^FAIL\s+5\.2\.2\s+k8s\.pods\.privileged-containers\s+1\/2 workloads$/m);
    expect(result.stdout).toMatch(/^N\/A\s+1\.2\.1\s+k8s\.apiserver\.anonymous-auth\s+no nodeRoot configured$/m);
    expect(result.stdout).toMatch(/^MANUAL\s+5\.1\.7\s+/m);
    expect(result.stdout).toMatch(/\d+ pass, \d+ fail, \d+ not applicable, 11 manual \(not scored\)/);

    const missing = await runCli(['k8s', 'score', 'nope', '--config', join(dir, 'vigil.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no k8s job named 'nope'");
  });
});
